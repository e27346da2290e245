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

/** A run to copy beside a project: its id, the name the user sees, and where its files come from. */
export interface RunToKeep {
  id: string;
  name: string;
  files(): Promise<RunFiles | undefined>;
}

export interface KeptRuns {
  /** Ids of the runs now in the folder. */
  saved: string[];
  failed: { name: string; reason: string }[];
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Writes every run into the folder beside `projectPath`: one that fails does not stop the others. */
export async function keepRunsBeside(
  folder: RunFolder,
  projectPath: string,
  runs: readonly RunToKeep[],
): Promise<KeptRuns> {
  const kept: KeptRuns = { saved: [], failed: [] };
  for (const run of runs) {
    try {
      const files = await run.files();
      if (!files) continue; // weights never stored (the run's curves are still in the project)
      await folder.save(projectPath, run.id, files);
      kept.saved.push(run.id);
    } catch (e) {
      kept.failed.push({ name: run.name, reason: reason(e) });
    }
  }
  return kept;
}

/** One message for every run that could not be kept beside the project, or undefined when none failed. */
export function keptRunsMessage(kept: KeptRuns, projectName: string): string | undefined {
  const n = kept.failed.length;
  if (n === 0) return undefined;
  const list = kept.failed.map((f) => `"${f.name}" (${f.reason.replace(/\.$/, '')})`).join('; ');
  const of = `${n} of ${n + kept.saved.length} run${n + kept.saved.length === 1 ? '' : 's'}`;
  return `${of} could not be written next to ${projectName}: ${list}.`;
}
