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
  /** Validation examples the metrics were computed on (absent in runs made before issue 12). */
  examples?: number;
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
const count = (max: number) => z.number().int().min(0).max(max);
const text = z.string().max(10_000);
/** Per-step values. */
const value = num;

/**
 * run.json is untrusted (a folder from anywhere, an edited file): every value the code relies on is
 * checked against the range Wordloom can make, so a seqLen of 1e9 or a batch of -1 is refused here in
 * one sentence, before anything is allocated. core/run/check.ts then cross-checks the files.
 */
export const runManifestSchema = z.looseObject({
  format: z.literal(RUN_FORMAT),
  version: z.number().int().min(1).max(RUN_VERSION),
  id: text,
  name: text,
  createdAt: text,
  graph: z.looseObject({
    format: z.literal('wordloom-graph'),
    nodes: z.array(z.unknown()).max(100_000),
    edges: z.array(z.unknown()).max(400_000),
  }),
  data: z.looseObject({
    source: text,
    task: z.enum(['next-token', 'classify', 'tag']),
    promptCompletion: z.boolean(),
  }),
  tokenizer: z.string().max(100),
  labels: z.array(text).max(100_000),
  binding: z.object({ vocabSize: count(10_000_000).min(1), numClasses: count(100_000) }),
  seqLen: count(4096).min(1),
  training: z.looseObject({
    steps: count(1e9),
    batchSize: count(4096).min(1),
    learningRate: num.min(0).max(1e3),
    seed: count(2 ** 32 - 1),
  }),
  backend: z.string().max(100),
  attention: z.array(z.object({ nodeId: text, layerName: text, numHeads: count(4096).min(1) })).max(100_000),
  totals: z.object({ params: count(1e13), flopsPerToken: num.min(0) }),
  metrics: z.object({
    steps: z.array(z.looseObject({ step: count(1e9), loss: value })),
    evals: z.array(z.looseObject({ step: count(1e9), valLoss: value })),
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
