import type { PortRef } from '../../core/graph/model';
import type { SliceCreator, XY } from './types';

export type Theme = 'light' | 'dark';
export type Screen = 'start' | 'editor';
export type PanelName = 'palette' | 'inspector' | 'costView';

/** A toast: what happened, in one sentence. The view dismisses it after a while. */
export interface Message {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** A fix the message offers, as buttons ("Insert Mean pool"). */
  actions?: { label: string; run: () => void }[];
}

/**
 * Where quick add is open; `at` is the flow position a new node lands on (absent: the view picks). With `from`,
 * the new block's first input that accepts it is wired to that output; with `to`, its output feeds that input
 * (a wire dropped on empty canvas, or Space with a block selected). The list then offers only blocks that fit.
 */
export interface QuickAddState {
  at?: XY;
  from?: PortRef;
  to?: PortRef;
}

export interface FileHandle {
  name: string;
  path?: string;
}

/** A request to replace the open document (New, Open, a template) while it has unsaved work: the prompt asks. */
export interface LeaveRequest {
  /** What the user asked for, in words: "open Mini GPT", "open another project". */
  what: string;
  proceed: () => void;
}

/** A fresh id for each document opened this session: its autosave slot. */
export const newDocumentId = (): string => `doc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

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
  /** The open document's autosave slot (a new one for each template, blank or file opened). */
  documentId: string;
  /** Set while the Save / Discard / Cancel prompt is open. */
  leaveRequest: LeaveRequest | null;
  /** Whether the keyboard shortcuts sheet (`?`) is open. */
  isShortcutsOpen: boolean;
  /** Bumped to ask the canvas to fit the graph in view (after open, layout, or the Fit button). */
  fitRequest: number;
  /** The composite block whose inside is shown ("look inside"), or null. */
  lookInside: string | null;
  setTheme: (theme: Theme) => void;
  toggleTheme: () => void;
  showScreen: (screen: Screen) => void;
  togglePanel: (panel: PanelName) => void;
  notify: (kind: Message['kind'], text: string, actions?: Message['actions']) => void;
  dismissMessage: (id: number) => void;
  openQuickAdd: (at?: XY, link?: Pick<QuickAddState, 'from' | 'to'>) => void;
  closeQuickAdd: () => void;
  openAbout: () => void;
  closeAbout: () => void;
  markSaved: (handle: FileHandle | null) => void;
  requestFit: () => void;
  openLookInside: (nodeId: string) => void;
  closeLookInside: () => void;
  /**
   * Runs `proceed` at once when nothing would be lost; otherwise opens the prompt, whose Save / Discard run it
   * and whose Cancel keeps everything as it is.
   */
  replaceDocument: (what: string, proceed: () => void) => void;
  /** Closes the prompt; `proceed` true runs the request it held. */
  settleLeave: (proceed: boolean) => void;
  toggleShortcuts: (open?: boolean) => void;
}

/** Work that replacing the document would lose: unsaved edits or runs, or a run still training. */
export const hasUnsavedWork = (s: {
  isDirty: boolean;
  run: { status: string } | null;
}): boolean => s.isDirty || (s.run !== null && ['preparing', 'training', 'paused'].includes(s.run.status));

/** At most this many toasts stay on screen; the oldest go first. */
const MAX_MESSAGES = 4;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => {
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
    lookInside: null,
    documentId: newDocumentId(),
    leaveRequest: null,
    isShortcutsOpen: false,
    setTheme: (theme) => set({ theme }),
    toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
    showScreen: (screen) => set({ screen }),
    togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
    notify: (kind, text, actions) =>
      set((s) => ({
        messages: [...s.messages, { id: nextId++, kind, text, ...(actions?.length && { actions }) }].slice(-MAX_MESSAGES),
      })),
    dismissMessage: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
    openQuickAdd: (at, link) => set({ quickAdd: { ...(at && { at }), ...link } }),
    closeQuickAdd: () => set({ quickAdd: null }),
    openAbout: () => set({ isAboutOpen: true }),
    closeAbout: () => set({ isAboutOpen: false }),
    markSaved: (fileHandle) => set({ fileHandle, isDirty: false }),
    requestFit: () => set((s) => ({ fitRequest: s.fitRequest + 1 })),
    openLookInside: (lookInside) => set({ lookInside }),
    closeLookInside: () => set({ lookInside: null }),
    replaceDocument: (what, proceed) => {
      if (!hasUnsavedWork(get())) return proceed();
      set({ leaveRequest: { what, proceed } });
    },
    settleLeave: (proceed) => {
      const request = get().leaveRequest;
      set({ leaveRequest: null });
      if (proceed) request?.proceed();
    },
    toggleShortcuts: (open) => set((s) => ({ isShortcutsOpen: open ?? !s.isShortcutsOpen })),
  };
};
