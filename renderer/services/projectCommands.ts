import { PROJECT_FORMAT, PROJECT_VERSION } from '../../core/project/schema';
import type { Project } from '../../core/project/project';
import type { AppStoreApi } from '../store';
import type { AutosavedDocument } from './autosave';
import type { OpenedDocument, Platform } from './platform';

/** File commands: the Platform does the I/O, the store receives the result. Errors become toasts. */
export interface ProjectCommands {
  /** Asks for a file (after the unsaved-work prompt, when there is work to lose) and opens it. */
  openFile: (path?: string) => Promise<void>;
  /** Resolves true once saved, false when cancelled or refused (the error is a toast). */
  save: () => Promise<boolean>;
  saveAs: () => Promise<boolean>;
  /** The recovered projects, newest first (read when asked, so they reflect the latest autosave). */
  autosaved: () => AutosavedDocument[];
  /** Opens a recovered or chosen document, after the unsaved-work prompt when there is work to lose. */
  restore: (doc: OpenedDocument | AutosavedDocument) => void;
}

/** The open document as a project file: the graph plus the training setup and runs it was opened with. */
export const currentProject = (store: AppStoreApi): Project => projectOf(store.getState());

/** A store state's document as a project file. */
export function projectOf(state: ReturnType<AppStoreApi['getState']>): Project {
  const { graph, training, runs, batchSize } = state;
  return { format: PROJECT_FORMAT, version: PROJECT_VERSION, graph, training: { ...training, batchSize }, runs };
}

export function createProjectCommands(platform: Platform, store: AppStoreApi): ProjectCommands {
  const notify = store.getState().notify;

  const open = (doc: OpenedDocument | AutosavedDocument): void => {
    store.getState().openProject(doc.project, doc.handle, 'savedAt' in doc ? doc.id : undefined);
    // Warnings such as an unknown block type kept as-is: the user should know before saving.
    for (const d of doc.diagnostics.slice(0, 3)) notify('error', d.message);
  };

  const saveWith = async (asNew: boolean): Promise<boolean> => {
    const s = store.getState();
    const project = currentProject(store);
    const r =
      asNew || !s.fileHandle
        ? await platform.saveProjectAs(project, s.fileHandle?.name ?? s.graph.name)
        : await platform.saveProject(project, s.fileHandle);
    if (!r.ok) {
      notify('error', r.error.message);
      return false;
    }
    if (!r.value) return false; // cancelled
    store.getState().markSaved(r.value);
    notify('info', `Saved ${r.value.name}.`);
    return true;
  };

  return {
    openFile: (path) =>
      new Promise<void>((resolve) =>
        store.getState().replaceDocument('open another project', () => {
          void platform
            .openProject(path ? { path } : undefined)
            .then((r) => {
              if (!r.ok) return notify('error', r.error.message);
              if (r.value) open(r.value);
            })
            .finally(resolve);
        }),
      ),
    save: () => saveWith(false),
    saveAs: () => saveWith(true),
    autosaved: () => platform.autosaves(),
    restore: (doc) => store.getState().replaceDocument(`open “${doc.handle.name}”`, () => open(doc)),
  };
}
