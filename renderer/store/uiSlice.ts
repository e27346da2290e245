import type { SliceCreator, XY } from './types';

export type Theme = 'light' | 'dark';
export type Screen = 'start' | 'editor';
export type PanelName = 'palette' | 'inspector' | 'costView';

/** A toast: what happened, in one sentence. The view dismisses it after a while. */
export interface Message {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** Where quick add is open; `at` is the flow position a new node lands on (absent: the view picks). */
export interface QuickAddState {
  at?: XY;
}

export interface FileHandle {
  name: string;
  path?: string;
}

export interface UiSlice {
  theme: Theme;
  screen: Screen;
  panels: Record<PanelName, boolean>;
  messages: Message[];
  quickAdd: QuickAddState | null;
  /** Whether the About box (version, data credits and licences) is open. */
  isAboutOpen: boolean;
  /** Where the open project lives: a name, and a path on the desktop; null when never saved or opened. */
  fileHandle: FileHandle | null;
  /** True when the graph changed since the last save or open. */
  isDirty: boolean;
  /** Bumped to ask the canvas to fit the graph in view (after open, layout, or the Fit button). */
  fitRequest: number;
  setTheme: (theme: Theme) => void;
  toggleTheme: () => void;
  showScreen: (screen: Screen) => void;
  togglePanel: (panel: PanelName) => void;
  notify: (kind: Message['kind'], text: string) => void;
  dismissMessage: (id: number) => void;
  openQuickAdd: (at?: XY) => void;
  closeQuickAdd: () => void;
  openAbout: () => void;
  closeAbout: () => void;
  markSaved: (handle: FileHandle | null) => void;
  requestFit: () => void;
}

/** At most this many toasts stay on screen; the oldest go first. */
const MAX_MESSAGES = 4;

export const createUiSlice: SliceCreator<UiSlice> = (set) => {
  let nextId = 1;
  return {
    theme: 'light',
    screen: 'start',
    panels: { palette: true, inspector: true, costView: false },
    messages: [],
    quickAdd: null,
    isAboutOpen: false,
    fileHandle: null,
    isDirty: false,
    fitRequest: 0,
    setTheme: (theme) => set({ theme }),
    toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
    showScreen: (screen) => set({ screen }),
    togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
    notify: (kind, text) =>
      set((s) => ({ messages: [...s.messages, { id: nextId++, kind, text }].slice(-MAX_MESSAGES) })),
    dismissMessage: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
    openQuickAdd: (at) => set({ quickAdd: at ? { at } : {} }),
    closeQuickAdd: () => set({ quickAdd: null }),
    openAbout: () => set({ isAboutOpen: true }),
    closeAbout: () => set({ isAboutOpen: false }),
    markSaved: (fileHandle) => set({ fileHandle, isDirty: false }),
    requestFit: () => set((s) => ({ fitRequest: s.fitRequest + 1 })),
  };
};
