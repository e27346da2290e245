import { z } from 'zod';

/**
 * The zod envelope of a project file (docs/graph-format.md): a graph plus the training setup and the run history.
 * Training and run records are loose objects: fields a newer minor release adds survive a load → save
 * round trip instead of being dropped (excalidraw's "spread the original properties" rule). The graphs
 * inside are checked by core/graph's parseGraph, not here, so their messages can name nodes.
 */

export const PROJECT_FORMAT = 'wordloom-project';
export const PROJECT_VERSION = 1;

/** Projects hold a graph, settings and loss series, never weights: 64 MB is generous and keeps a stray file from hanging the app. */
export const MAX_PROJECT_BYTES = 64 * 1024 * 1024;

/** Read before the full schema, so that a newer or foreign file gets the right sentence. */
export const projectHeaderSchema = z.object({
  format: z.string(),
  version: z.number(),
});

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().min(0);

/** The training setup as the editor's training panel holds it; missing fields take the trainer's defaults. */
export const trainingSchema = z.looseObject({
  /** A bundled dataset name (`shakespeare`) or a user file's name. */
  dataset: z.string().optional(),
  /** `char`, `word`, `bpe:N` or `gpt2`. */
  tokenizer: z.string().optional(),
  steps: count.optional(),
  batchSize: z.number().int().min(1).optional(),
  learningRate: finite.optional(),
  warmupSteps: count.optional(),
  seed: z.number().int().optional(),
  evalEvery: z.number().int().min(1).optional(),
  /** Validation batches per evaluation; 0 or absent: the whole validation split (capped, the count shown). */
  evalBatches: z.number().int().min(0).optional(),
});

/** A loss that diverged is saved as null (JSON has no NaN). */
const lossValue = finite.nullable();

export const stepPointSchema = z.looseObject({
  step: count,
  loss: lossValue,
  lr: finite.optional(),
  tokensPerSec: finite.optional(),
});

export const evalPointSchema = z.looseObject({
  step: count,
  valLoss: lossValue,
  valAccuracy: finite.optional(),
});

export const metricsSchema = z.looseObject({
  steps: z.array(stepPointSchema).default([]),
  evals: z.array(evalPointSchema).default([]),
});

/** One training run, as the compare view lists it. `graph` is checked separately (parseGraph). */
export const runSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  /** ISO 8601 time the run started. */
  createdAt: z.string(),
  graph: z.unknown(),
  training: trainingSchema.default({}),
  metrics: metricsSchema.default({ steps: [], evals: [] }),
  /** The tf.js backend the run trained on (`webgl`, `wasm`, `cpu`…). */
  backend: z.string(),
  /** Where the trained weights live (a run folder or an IndexedDB key); absent when they were not kept. */
  weightsRef: z.string().optional(),
});

export const projectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  graph: z.unknown(),
  training: trainingSchema.default({}),
  runs: z.array(runSchema).default([]),
});

export type ProjectTraining = z.infer<typeof trainingSchema>;
export type StepPoint = z.infer<typeof stepPointSchema>;
export type EvalPoint = z.infer<typeof evalPointSchema>;
export type RunMetrics = z.infer<typeof metricsSchema>;
