import { z } from 'zod';
import type { Graph } from '../graph/model';
import type { Binding, Task } from '../nodes/define';
import type { TrainConfig } from '../train/protocol';

/** One point of the training curve. */
export interface StepPoint {
  step: number;
  loss: number;
  lr: number;
  tokensPerSec: number;
  elapsed: number;
  tokens: number;
}
export interface EvalPoint {
  step: number;
  valLoss: number;
  valAccuracy?: number;
  perplexity?: number;
  /** chrF (0..100) of greedy answers to validation prompts (prompt/completion data). */
  chrf?: number;
  elapsed: number;
}

/** The trained run a fine-tuned run started from, and what it took from it. */
export interface RunParent {
  runId: string;
  name: string;
  /** The parent's step whose weights were loaded: the child's step 0 continues from here. */
  step: number;
  /** Nodes whose weights came from the parent; the rest started at random. */
  loaded: string[];
  refused: string[];
  /** Nodes whose weights stayed fixed while training. */
  frozen: string[];
}

/** Everything about a run except tensors: enough to reopen, predict, compare and export it. */
export interface RunManifest {
  format: 'wordloom-run';
  version: 1;
  id: string;
  name: string;
  createdAt: string;
  graph: Graph;
  data: { source: string; task: Task; promptCompletion: boolean; valFraction: number };
  tokenizer: string;
  labels: string[];
  binding: Binding;
  seqLen: number;
  training: TrainConfig;
  backend: string;
  attention: { nodeId: string; layerName: string; numHeads: number }[];
  totals: { params: number; flopsPerToken: number };
  metrics: { steps: StepPoint[]; evals: EvalPoint[] };
  /** Set when the run started from a trained run (added after version 1 files; absent means from scratch). */
  parent?: RunParent;
  result?: {
    steps: number;
    trainLoss: number;
    valLoss: number;
    valAccuracy?: number;
    seconds: number;
    stopped: boolean;
  };
}

export const RUN_FORMAT = 'wordloom-run';
export const RUN_VERSION = 1;

const num = z.number();
/** The envelope is checked strictly where the code relies on it, loosely elsewhere. */
export const runManifestSchema = z.looseObject({
  format: z.literal(RUN_FORMAT),
  version: z.number().int(),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  graph: z.looseObject({
    format: z.literal('wordloom-graph'),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()),
  }),
  data: z.looseObject({
    source: z.string(),
    task: z.enum(['next-token', 'classify', 'tag']),
    promptCompletion: z.boolean(),
  }),
  tokenizer: z.string(),
  labels: z.array(z.string()),
  binding: z.object({ vocabSize: num, numClasses: num }),
  seqLen: num,
  training: z.looseObject({ steps: num, batchSize: num, learningRate: num, seed: num }),
  backend: z.string(),
  attention: z.array(z.object({ nodeId: z.string(), layerName: z.string(), numHeads: num })),
  totals: z.object({ params: num, flopsPerToken: num }),
  metrics: z.object({
    steps: z.array(z.looseObject({ step: num, loss: num })),
    evals: z.array(z.looseObject({ step: num, valLoss: num })),
  }),
  parent: z
    .looseObject({
      runId: z.string(),
      name: z.string(),
      step: num,
      loaded: z.array(z.string()),
      refused: z.array(z.string()),
      frozen: z.array(z.string()),
    })
    .optional(),
});
