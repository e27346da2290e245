/**
 * What the UI needs from its host, so the same renderer runs in Electron (electronPlatform: window.api → main)
 * and in a plain browser (browserPlatform: file input, downloads, localStorage), as netron's Host does.
 * Components never touch window.api or the DOM file APIs directly; they call the Platform chosen at startup.
 */
import type { Diagnostic } from '../../core/graph/diagnostics';
import type { Project } from '../../core/project/project';
import type { AppInfo, ExportRequest, ExportResult, MenuEvent, Result } from '../../electron/api';
import type { AutosavedDocument } from './autosave';

export type { AppInfo, ExportRequest, ExportResult, MenuEvent, Result } from '../../electron/api';

/** Where a project lives: a path on the desktop, only a name in the browser. */
export interface ProjectHandle {
  name: string;
  path?: string;
}

export interface OpenedDocument {
  handle: ProjectHandle;
  project: Project;
  /** Graph warnings, e.g. a node type this version does not know (kept, so saving does not lose it). */
  diagnostics: Diagnostic[];
}

export interface Platform {
  kind: 'desktop' | 'browser';
  /** Asks for a project file (or opens a recent `path` on the desktop). `null` when the user cancels. */
  openProject(request?: { path?: string }): Promise<Result<OpenedDocument | null>>;
  /** Saves where the project was opened or last saved; without a path this is Save As. */
  saveProject(project: Project, handle: ProjectHandle | undefined): Promise<Result<ProjectHandle | null>>;
  saveProjectAs(project: Project, suggestedName: string): Promise<Result<ProjectHandle | null>>;
  /** Writes export bundles (bytes from core/export) into a new folder, or downloads them in the browser. */
  exportFiles(request: ExportRequest): Promise<Result<ExportResult | null>>;
  getInfo(): Promise<AppInfo>;
  /** Menu commands (desktop menu, or the same shortcuts in the browser); returns the unsubscribe function. */
  onMenu(listener: (event: MenuEvent) => void): () => void;
  /** Unsaved changes: the desktop asks before closing the window, the browser before leaving the page. */
  setDirty(dirty: boolean): void;
  /** Keeps a crash-recovery copy of the document `id` (localStorage); the last few projects each keep theirs. */
  autosave(id: string, project: Project, name: string): void;
  /** The recovered projects after a reload, newest first. */
  autosaves(): AutosavedDocument[];
}

/** A Result for a failure of the page's own making (the browser path has no main process to ask). */
export const failure = (code: 'bad-file' | 'too-large' | 'io', message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
