import type { Theme } from '../store/uiSlice';

const KEY = 'wordloom:theme';

/** The OS preference, for the first launch and the menu's "System" choice. */
export const preferredTheme = (): Theme =>
  typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

/** The theme the user picked last time, else the OS preference. */
export function loadTheme(): Theme {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage disabled (private mode): fall back to the OS preference.
  }
  return preferredTheme();
}

export function saveTheme(theme: Theme): void {
  try {
    window.localStorage.setItem(KEY, theme);
  } catch {
    // Not remembering the theme is harmless.
  }
}
