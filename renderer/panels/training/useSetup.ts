import { useShallow } from 'zustand/react/shallow';
import { datasetName, tokenizerName } from '../../lib/trainSetup';
import { useAppStore } from '../../store';

/** The dataset and tokenizer in use (chosen, or the defaults for the graph's head), and whether a run is going. */
export function useSetup(): { dataset: string; tokenizer: string; isRunning: boolean } {
  const [training, task, status] = useAppStore(
    useShallow((s) => [s.training, s.analysis.task, s.run?.status] as const),
  );
  const dataset = datasetName(training, task);
  return {
    dataset,
    tokenizer: tokenizerName(training, dataset),
    isRunning: status === 'preparing' || status === 'training' || status === 'paused',
  };
}
