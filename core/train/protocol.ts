import type { Graph } from '../graph/model';
import type { Task } from '../nodes/define';

/** Hyper-parameters of one run; every field has a sensible default (`withTrainDefaults`). */
export interface TrainConfig {
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Linear warmup steps before the cosine decay. */
  warmupSteps: number;
  /** The cosine schedule ends at learningRate × minLrRatio. */
  minLrRatio: number;
  weightDecay: number;
  /** Global gradient-norm clip; 0 turns it off. */
  gradClip: number;
  seed: number;
  /** Evaluate on the validation split every N steps (and at the end). */
  evalEvery: number;
  /**
   * Validation batches per evaluation; 0 (the default) evaluates the whole validation split, up to
   * maxEvalExamples (core/data/batching.ts): 1,024 rows or 16,384 next-token targets, evenly spaced.
   */
  evalBatches: number;
  /** Prompt/completion data: validation prompts answered greedily at each evaluation for chrF (0 = none; 16 when unset). */
  chrfPrompts?: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  steps: 300,
  batchSize: 16,
  learningRate: 3e-3,
  warmupSteps: 20,
  minLrRatio: 0.1,
  weightDecay: 0.01,
  gradClip: 1,
  seed: 42,
  evalEvery: 50,
  evalBatches: 0,
};

export const withTrainDefaults = (c: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...c });

/** Progress of a run, as the CLI prints with --json and the worker posts (docs/cli.md). */
export type TrainEvent =
  | { event: 'start'; totalSteps: number; params: number; backend: string; task: Task; vocabSize: number }
  | { event: 'step'; step: number; loss: number; lr: number; tokensPerSec: number; elapsed: number; tokens: number }
  | {
      event: 'eval';
      step: number;
      valLoss: number;
      valAccuracy?: number;
      perplexity?: number;
      /** chrF (0..100) of greedy answers to validation prompts (prompt/completion data). */
      chrf?: number;
      elapsed: number;
      /** Validation examples (windows or rows) the metrics were computed on. */
      examples?: number;
      /** Classifiers and taggers: weighted counts [true class][predicted class] on the validation examples. */
      confusion?: number[][];
    }
  | { event: 'paused'; step: number }
  | { event: 'resumed'; step: number }
  | {
      event: 'done';
      steps: number;
      trainLoss: number;
      valLoss: number;
      valAccuracy?: number;
      seconds: number;
      stopped: boolean;
    }
  | { event: 'error'; step: number; message: string };

/** What the trainer needs to know about the data, beyond batches. */
export interface RunInfo {
  graph: Graph;
  task: Task;
}
