/**
 * The narrow API that preload.ts exposes as `window.api` (types only; the renderer imports it with `import type`).
 * Every call crosses IPC, where thrown errors lose all but their message, so each returns a Result.
 */
import type { Diagnostic } from '../core/graph/diagnostics';
import type { Project } from '../core/project/project';

export type ErrorCode =
  | 'bad-request' // the renderer sent arguments that do not match the channel's schema (our bug)
  | 'not-allowed' // a path the user never chose in a dialog
  | 'not-found'
  | 'too-large'
  | 'bad-file' // not JSON, not a project, corrupt, or from a newer version
  | 'exists' // an export would overwrite files
  | 'io'; // the disk said no (permissions, full disk, …)

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface OpenedProject {
  path: string;
  /** The file name shown in the title bar. */
  name: string;
  project: Project;
  /** Warnings about the graph (e.g. a node type this version does not know, kept so saving keeps it). */
  diagnostics: Diagnostic[];
}

export interface SavedProject {
  path: string;
  name: string;
}

export interface RecentFile {
  path: string;
  name: string;
  /** ISO 8601. */
  openedAt: string;
}

/** One file of an export (core/export produces the bytes; main only writes them). `name` is relative, `/`-separated. */
export interface ExportFile {
  name: string;
  data: Uint8Array | string;
}

export interface ExportRequest {
  files: ExportFile[];
  /** Folder to create inside the folder the user picks, e.g. `mini-gpt-tfjs`. */
  folderName: string;
  /** Replace files that already exist (only after the user has agreed). */
  overwrite?: boolean;
}

export interface ExportResult {
  dir: string;
  written: string[];
}

export interface AppInfo {
  name: string;
  version: string;
  platform: 'desktop' | 'browser';
  /** Runtime versions, shown in About. */
  versions: Record<string, string>;
}

export type Theme = 'system' | 'light' | 'dark';

/**
 * What the application menu asks the renderer to do. Undo/Redo/Delete are commands (the canvas keeps its own
 * history; when a text field has focus the renderer should fall back to `document.execCommand`); Cut, Copy,
 * Paste and Select All use Electron roles, so they reach the page as ordinary DOM events.
 */
export type MenuEvent =
  | {
      command:
        | 'file:new'
        | 'file:open'
        | 'file:templates'
        | 'file:save'
        | 'file:saveAs'
        | 'file:export'
        | 'edit:undo'
        | 'edit:redo'
        | 'edit:delete'
        | 'view:fit'
        | 'view:zoomIn'
        | 'view:zoomOut'
        | 'help:about';
    }
  | { command: 'file:openRecent'; path: string }
  | { command: 'view:theme'; theme: Theme };

export type MenuCommand = MenuEvent['command'];

export interface DesktopApi {
  /** Shows an Open dialog, or opens `path` when it is in the recent list. `null` when the user cancels. */
  openProject(request?: { path?: string }): Promise<Result<OpenedProject | null>>;
  /** Saves to a path this session opened or saved to before (atomically: the old file survives a failed write). */
  saveProject(request: { path: string; project: Project }): Promise<Result<SavedProject>>;
  /** Shows a Save dialog; `null` when the user cancels. */
  saveProjectAs(request: { project: Project; suggestedName?: string }): Promise<Result<SavedProject | null>>;
  recentProjects(): Promise<Result<RecentFile[]>>;
  /** Asks for a folder and writes the files into `folderName` inside it; `null` when the user cancels. */
  exportFiles(request: ExportRequest): Promise<Result<ExportResult | null>>;
  getInfo(): Promise<Result<AppInfo>>;
  /** Tells main whether there are unsaved changes, so closing the window can ask first. */
  setDirty(dirty: boolean): Promise<Result<null>>;
  /**
   * Writes a trained run's files (run.json, tokenizer.json, model.json, weights.bin) into
   * `<project file name>.runs/<runId>/` next to a project this session opened or saved.
   */
  saveRunFiles(request: {
    projectPath: string;
    runId: string;
    files: Record<string, Uint8Array>;
  }): Promise<Result<{ dir: string }>>;
  /** A run's files from the folder next to the project; `null` when that folder is missing. */
  loadRunFiles(request: { projectPath: string; runId: string }): Promise<Result<Record<string, Uint8Array> | null>>;
  /** Subscribes to application-menu commands; returns the unsubscribe function. */
  onMenu(listener: (event: MenuEvent) => void): () => void;
}
