/** On the desktop, trained runs are also kept in a folder next to the project file (main writes it). */
import type { RunFiles } from '../../core/run/files';
import type { DesktopApi } from '../../electron/api';

export interface RunFolder {
  save(projectPath: string, runId: string, files: RunFiles): Promise<void>;
  /** The run's files next to the project, or undefined when they are not there. */
  load(projectPath: string, runId: string): Promise<RunFiles | undefined>;
}

export function desktopRunFolder(api: Pick<DesktopApi, 'saveRunFiles' | 'loadRunFiles'>): RunFolder {
  return {
    async save(projectPath, runId, files) {
      const r = await api.saveRunFiles({ projectPath, runId, files });
      if (!r.ok) throw new Error(r.error.message);
    },
    async load(projectPath, runId) {
      const r = await api.loadRunFiles({ projectPath, runId });
      if (!r.ok) throw new Error(r.error.message);
      return r.value ?? undefined;
    },
  };
}
