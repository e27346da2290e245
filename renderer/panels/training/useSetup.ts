import { datasetName, tokenizerName } from '../../lib/trainSetup';
import { useAppStore } from '../../store';

/**
 * The dataset and tokenizer in use (chosen, or the defaults for the graph's head), and whether a run is going.
 * Each value is selected on its own, so the setup forms do not re-render as a run moves from step to step.
 */
export function useSetup(): { dataset: string; tokenizer: string; isRunning: boolean } {
  const training = useAppStore((s) => s.training);
  const task = useAppStore((s) => s.analysis.task);
  const isRunning = useAppStore(
    (s) => s.run?.status === 'preparing' || s.run?.status === 'training' || s.run?.status === 'paused',
  );
  const dataset = datasetName(training, task);
  return { dataset, tokenizer: tokenizerName(training, dataset), isRunning };
}
