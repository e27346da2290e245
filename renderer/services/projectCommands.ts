import { PROJECT_FORMAT, PROJECT_VERSION } from '../../core/project/schema';
import type { Project } from '../../core/project/project';
import type { AppStoreApi } from '../store';
import type { OpenedDocument, Platform } from './platform';

/** File commands: the Platform does the I/O, the store receives the result. Errors become toasts. */
export interface ProjectCommands {
  openFile: (path?: string) => Promise<void>;
  save: () => Promise<void>;
  saveAs: () => Promise<void>;
  /** The crash-recovery copy, if one exists (checked when asked, so it reflects the latest autosave). */
  autosaved: () => OpenedDocument | undefined;
  restore: (doc: OpenedDocument) => void;
}

/** The open document as a project file: the graph plus the training setup and runs it was opened with. */
export function currentProject(store: AppStoreApi): Project {
  const { graph, training, runs, batchSize } = store.getState();
  return { format: PROJECT_FORMAT, version: PROJECT_VERSION, graph, training: { ...training, batchSize }, runs };
}

export function createProjectCommands(platform: Platform, store: AppStoreApi): ProjectCommands {
  const notify = store.getState().notify;

  const restore = (doc: OpenedDocument): void => {
    store.getState().openProject(doc.project, doc.handle);
    // Warnings such as an unknown block type kept as-is: the user should know before saving.
    for (const d of doc.diagnostics.slice(0, 3)) notify('error', d.message);
  };

  const saveWith = async (asNew: boolean): Promise<void> => {
    const s = store.getState();
    const project = currentProject(store);
    const r =
      asNew || !s.fileHandle
        ? await platform.saveProjectAs(project, s.fileHandle?.name ?? s.graph.name)
        : await platform.saveProject(project, s.fileHandle);
    if (!r.ok) return notify('error', r.error.message);
    if (!r.value) return; // cancelled
    store.getState().markSaved(r.value);
    notify('info', `Saved ${r.value.name}.`);
  };

  return {
    openFile: async (path) => {
      const r = await platform.openProject(path ? { path } : undefined);
      if (!r.ok) return notify('error', r.error.message);
      if (r.value) restore(r.value);
    },
    save: () => saveWith(false),
    saveAs: () => saveWith(true),
    autosaved: () => platform.restoreAutosave(),
    restore,
  };
}
