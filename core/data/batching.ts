/**
 * Batches from a split (shape contract: core/data/batch.ts). Rows are right-padded with id 0 and
 * truncated to T; every padded target has weight 0.
 *   next-token stream: a window of T+1 ids at a random offset; tokens = w[0..T), targets = w[1..T+1)
 *   prompt-completion: each row as such a window from its start; weight only on completion targets
 *   classify: the first T ids of a row; one class id per row, weight 1
 *   tag: the first T ids; a tag id per token, weight 0 on padding and on untagged sub-tokens
 */
import type { Batch } from './batch';
import { randomInt, type Rng } from './rng';
import { splitSize, type DataSplit } from './split';

export interface BatchShape {
  batchSize: number;
  seqLen: number;
}

function emptyBatch(split: DataSplit, { batchSize: B, seqLen: T }: BatchShape): Batch {
  const perRow = split.kind === 'classify' ? 1 : T;
  return {
    batchSize: B,
    seqLen: T,
    tokens: new Int32Array(B * T), // (B, T)
    targets: new Int32Array(B * perRow), // (B, T) or (B)
    weights: new Float32Array(B * perRow),
  };
}

/** Write example `i` (a row index, or a stream offset) into row `b` of the batch. */
function writeRow(split: DataSplit, batch: Batch, b: number, i: number): void {
  const T = batch.seqLen;
  const o = b * T;
  switch (split.kind) {
    case 'stream': {
      const ids = split.ids;
      for (let t = 0; t < T && i + t < ids.length; t++) {
        batch.tokens[o + t] = ids[i + t];
        if (i + t + 1 < ids.length) {
          batch.targets[o + t] = ids[i + t + 1];
          batch.weights[o + t] = 1;
        }
      }
      return;
    }
    case 'sequences': {
      const row = split.rows[i];
      const mask = split.lossMask[i];
      for (let t = 0; t < T && t < row.length; t++) {
        batch.tokens[o + t] = row[t];
        if (t + 1 < row.length) {
          batch.targets[o + t] = row[t + 1];
          batch.weights[o + t] = mask[t + 1];
        }
      }
      return;
    }
    case 'classify': {
      const row = split.rows[i];
      batch.tokens.set(row.subarray(0, T), o);
      batch.targets[b] = split.labels[i];
      batch.weights[b] = 1;
      return;
    }
    case 'tag': {
      const row = split.rows[i];
      const tags = split.tags[i];
      for (let t = 0; t < T && t < row.length; t++) {
        batch.tokens[o + t] = row[t];
        batch.targets[o + t] = Math.max(tags[t], 0);
        batch.weights[o + t] = tags[t] >= 0 ? 1 : 0;
      }
      return;
    }
  }
}

function checkShape({ batchSize, seqLen }: BatchShape): void {
  if (!(Number.isInteger(batchSize) && batchSize > 0 && Number.isInteger(seqLen) && seqLen > 0)) {
    throw new Error(`batch shape must be positive integers, got batchSize ${batchSize}, seqLen ${seqLen}`);
  }
}

/** A random training batch. Streams shorter than T+1 give one padded window from the start. */
export function sampleBatch(split: DataSplit, shape: BatchShape, rng: Rng): Batch {
  checkShape(shape);
  const n = splitSize(split);
  if (n === 0) throw new Error('cannot sample a batch from an empty split');
  const batch = emptyBatch(split, shape);
  for (let b = 0; b < shape.batchSize; b++) {
    const i = split.kind === 'stream' ? randomInt(rng, Math.max(1, n - shape.seqLen)) : randomInt(rng, n);
    writeRow(split, batch, b, i);
  }
  return batch;
}

export interface EvalOptions extends BatchShape {
  /** At most this many batches (default: the whole split, up to MAX_EVAL_EXAMPLES examples). */
  maxBatches?: number;
}

/**
 * Validation covers the whole split up to this many examples (rows, or windows of a stream); a bigger
 * split is sampled at evenly spaced examples, and the count evaluated is reported with the metrics.
 */
export const MAX_EVAL_EXAMPLES = 1024;
/**
 * A stream's windows each carry T targets, so their cap is in targets: 16,384 next-token predictions
 * (256 windows at T = 64) pin a loss down to about ±0.01 and keep an evaluation of Mini GPT to seconds,
 * which the app pays at every "validate every N".
 */
export const MAX_EVAL_TARGETS = 16_384;

/** The most examples one evaluation of `split` at window `seqLen` takes. */
export const maxEvalExamples = (split: DataSplit, seqLen: number): number =>
  split.kind === 'stream'
    ? Math.max(1, Math.min(MAX_EVAL_EXAMPLES, Math.floor(MAX_EVAL_TARGETS / seqLen)))
    : MAX_EVAL_EXAMPLES;

/** The examples evaluated: stream offsets or row indices, evenly spaced when the split has more than the cap. */
function evalStarts(split: DataSplit, options: EvalOptions): number[] {
  const T = options.seqLen;
  const total = split.kind === 'stream' ? Math.ceil(Math.max(0, split.ids.length - 1) / T) : split.rows.length;
  const byBatches = options.maxBatches === undefined ? Infinity : options.maxBatches * options.batchSize;
  const limit = Math.min(total, maxEvalExamples(split, T), byBatches);
  const starts: number[] = [];
  const spaced = options.maxBatches === undefined && total > limit;
  for (let k = 0; k < limit; k++) {
    const example = spaced ? Math.floor((k * total) / limit) : k;
    starts.push(split.kind === 'stream' ? example * T : example);
  }
  return starts;
}

/** How many examples `evalBatches` gives for this split and options. */
export function evalExampleCount(split: DataSplit, options: EvalOptions): number {
  checkShape(options);
  return evalStarts(split, options).length;
}

/**
 * The same batches on every call, made one at a time (a big split is never held as batches):
 * consecutive non-overlapping windows of a stream, or the rows in order. The last batch is filled up
 * with empty rows of weight 0, so every batch has the same shape.
 */
export function* iterateEvalBatches(split: DataSplit, options: EvalOptions): Generator<Batch> {
  checkShape(options);
  const B = options.batchSize;
  const starts = evalStarts(split, options);
  for (let k = 0; k < starts.length; k += B) {
    const batch = emptyBatch(split, options);
    for (let b = 0; b < B && k + b < starts.length; b++) writeRow(split, batch, b, starts[k + b]);
    yield batch;
  }
}

/** `iterateEvalBatches` as an array (tests and small splits). */
export function evalBatches(split: DataSplit, options: EvalOptions): Batch[] {
  return [...iterateEvalBatches(split, options)];
}
