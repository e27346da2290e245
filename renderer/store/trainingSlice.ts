import type { Binding, Task } from '../../core/nodes/define';
import type { ProjectRun } from '../../core/project/project';
import type { ProjectTraining } from '../../core/project/schema';
import { DEFAULT_BINDING } from '../../core/shapes/infer';
import type { DataChoice } from '../../core/worker/protocol';
import { datasetName } from '../lib/trainSetup';
import type { SliceCreator } from './types';

/** A file the user opened or text they pasted; kept for this session only (project files hold its name). */
export interface UserData {
  name: string;
  text: string;
}

/**
 * The training setup: the binding (V and C, which come from the chosen dataset and tokenizer) that the
 * editor's shape inference uses, the batch size (also behind the memory estimate), the project's training
 * setup (dataset, tokenizer, hyper-parameters: saved with the project) and its run records.
 */
export interface TrainingSlice {
  binding: Binding;
  batchSize: number;
  training: ProjectTraining;
  runs: ProjectRun[];
  /** The text behind a dataset that is not bundled (`training.dataset` is its name). */
  userData: UserData | null;
  setBinding: (binding: Binding) => void;
  setBatchSize: (batchSize: number) => void;
  /** Changes part of the setup (dataset, tokenizer, steps, learning rate…). */
  updateTraining: (patch: Partial<ProjectTraining>) => void;
  /** A file or pasted text becomes the dataset; its tokenizer stays as chosen. */
  setUserData: (data: UserData) => void;
  /** Adds a run record, or replaces the one with the same id. */
  recordRun: (run: ProjectRun) => void;
}

export const DEFAULT_BATCH_SIZE = 32;

/** Where the worker gets the text: the bundled set by name, or the user's file. */
export function dataChoiceOf(training: ProjectTraining, userData: UserData | null, task: Task | undefined): DataChoice {
  const name = datasetName(training, task);
  return userData && userData.name === name ? { kind: 'text', name, text: userData.text } : { kind: 'bundled', name };
}

export const createTrainingSlice: SliceCreator<TrainingSlice> = (set, get) => ({
  binding: DEFAULT_BINDING,
  batchSize: DEFAULT_BATCH_SIZE,
  training: {},
  runs: [],
  userData: null,
  setBinding: (binding) => {
    const now = get().binding;
    if (now.vocabSize === binding.vocabSize && now.numClasses === binding.numClasses) return;
    set({ binding });
    get().reanalyze();
  },
  setBatchSize: (batchSize) => set({ batchSize }),
  updateTraining: (patch) => set((s) => ({ training: { ...s.training, ...patch }, isDirty: true })),
  setUserData: (data) =>
    set((s) => ({ userData: data, training: { ...s.training, dataset: data.name }, isDirty: true })),
  recordRun: (run) =>
    set((s) => {
      const i = s.runs.findIndex((r) => r.id === run.id);
      const runs = i < 0 ? [...s.runs, run] : s.runs.map((r, j) => (j === i ? run : r));
      return { runs, isDirty: true };
    }),
});
