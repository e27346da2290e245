import { BACKEND_CHOICES, type BackendChoice } from '../store/runSlice';

const KEY = 'wordloom:backend';

/** The backend the user chose last time ('auto' when none, or storage is off). */
export function loadBackendChoice(): BackendChoice {
  try {
    const saved = window.localStorage.getItem(KEY);
    return BACKEND_CHOICES.find((c) => c === saved) ?? 'auto';
  } catch {
    return 'auto';
  }
}

export function saveBackendChoice(choice: BackendChoice): void {
  try {
    window.localStorage.setItem(KEY, choice);
  } catch {
    // Not remembering it is harmless: the next session picks automatically.
  }
}
