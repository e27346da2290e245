import { ensureHeld } from '../../services/exportRun';
import type { CompareRun } from './compareData';
import { errorText, type CompareServices } from './compareContext';

/** Runs that can answer a text or a prompt: next-token models that finished (live race runs answer once kept). */
export const answeringRuns = (runs: readonly CompareRun[]): CompareRun[] =>
  runs.filter((r) => r.task === 'next-token' && !r.isLive);

/**
 * Asks every run in turn (one worker, one model at a time), opening each one's weights first; a run that
 * cannot answer gets its error sentence and the others carry on.
 */
export async function askEach(
  services: CompareServices,
  runs: readonly CompareRun[],
  ask: (runId: string) => Promise<void>,
): Promise<void> {
  const s = services.store.getState();
  for (const run of runs) s.setCompareAnswer(run.id, { error: undefined });
  for (const run of runs) {
    try {
      const record = services.store.getState().runs.find((r) => r.id === run.id);
      if (!record) throw new Error('This run is no longer in the project.');
      await ensureHeld(services, record);
      await ask(run.id);
    } catch (e) {
      services.store.getState().setCompareAnswer(run.id, { error: errorText(e), isGenerating: false });
    }
  }
}
