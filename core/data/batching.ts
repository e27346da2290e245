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
  /** At most this many batches (default: the whole split). */
  maxBatches?: number;
}

/**
 * The same batches on every call: consecutive non-overlapping windows of a stream, or the rows in
 * order. The last batch is filled up with empty rows of weight 0, so every batch has the same shape.
 */
export function evalBatches(split: DataSplit, options: EvalOptions): Batch[] {
  checkShape(options);
  const { batchSize: B, seqLen: T } = options;
  const starts: number[] = [];
  if (split.kind === 'stream') {
    for (let i = 0; i + 1 < split.ids.length; i += T) starts.push(i);
  } else {
    for (let i = 0; i < split.rows.length; i++) starts.push(i);
  }
  const limit = Math.min(starts.length, (options.maxBatches ?? Infinity) * B);
  const out: Batch[] = [];
  for (let k = 0; k < limit; k += B) {
    const batch = emptyBatch(split, options);
    for (let b = 0; b < B && k + b < limit; b++) writeRow(split, batch, b, starts[k + b]);
    out.push(batch);
  }
  return out;
}
