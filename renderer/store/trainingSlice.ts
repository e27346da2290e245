import type { Binding } from '../../core/nodes/define';
import type { ProjectRun } from '../../core/project/project';
import type { ProjectTraining } from '../../core/project/schema';
import type { SliceCreator } from './types';

/**
 * Placeholder until the training panels land: the binding (V and C, which come from the chosen dataset and
 * tokenizer) that the editor's shape inference uses, the batch size behind the memory estimate, and the
 * project's training setup and runs, kept so that open → save loses nothing.
 */
export interface TrainingSlice {
  binding: Binding;
  batchSize: number;
  training: ProjectTraining;
  runs: ProjectRun[];
  setBinding: (binding: Binding) => void;
  setBatchSize: (batchSize: number) => void;
}

/** Shakespeare's character vocabulary (65 symbols + padding + unknown) and a two-class task. */
export const DEFAULT_BINDING: Binding = { vocabSize: 67, numClasses: 2 };
export const DEFAULT_BATCH_SIZE = 32;

export const createTrainingSlice: SliceCreator<TrainingSlice> = (set, get) => ({
  binding: DEFAULT_BINDING,
  batchSize: DEFAULT_BATCH_SIZE,
  training: {},
  runs: [],
  setBinding: (binding) => {
    set({ binding });
    get().reanalyze();
  },
  setBatchSize: (batchSize) => set({ batchSize }),
});
