/**
 * A pre-flight for training: about how many bytes a run needs, from the graph's totals, the batch and
 * the data file's size, so a model that cannot fit is refused in one sentence before anything is
 * allocated (issue 12: a 26-billion-parameter graph used to pass `check` and crash `train`).
 * Pure: the caller passes the machine's memory (core/host-node/memory.ts in Node).
 */
import type { Cost } from '../nodes/define';

/** Bytes per float32 value. */
const F32 = 4;
/** Weights, their gradients and AdamW's two moments: four float32 copies of every parameter. */
const COPIES_PER_PARAM = 4;
/** The forward activations are kept for the backward pass, which makes as many gradients again. */
const ACTIVATION_COPIES = 2;
/**
 * Bytes of memory per byte of data file while preparing it: the file's bytes, its decoded text, the
 * tokenizer's pass over it and the token ids (4 bytes per token, at most one token per byte).
 * Measured (issue 12): `train templates/mini-gpt.json` on a 190 MiB text with char tokens peaked at
 * 1.74 GiB RSS; 9 bytes per byte plus BASE_BYTES gives 1.9 GiB for it, so the estimate stays above.
 */
export const DATA_BYTES_PER_FILE_BYTE = 9;
/** The runtime itself: Node, tf.js and its wasm backend, before any model or data. */
export const BASE_BYTES = 200 * 1024 * 1024;

export interface MemoryEstimate {
  total: number;
  model: number;
  activations: number;
  data: number;
}

/** Bytes a training run needs: parameters with gradients and optimiser state, a batch's activations, the data. */
export function estimateTrainingMemory(totals: Cost, batchSize: number, dataFileBytes = 0): MemoryEstimate {
  const model = totals.params * F32 * COPIES_PER_PARAM;
  const activations = totals.activations * batchSize * F32 * ACTIVATION_COPIES;
  const data = dataFileBytes * DATA_BYTES_PER_FILE_BYTE;
  return { total: BASE_BYTES + model + activations + data, model, activations, data };
}

/** "1.2 GB", "640.0 MB" (powers of 1024, as the OS reports memory). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

/** "26.0 billion", "1.3 million", "2,066". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} million`;
  return Math.round(n).toLocaleString('en-US');
}

export interface MemoryBudget {
  bytes: number;
  /** Where the budget comes from: this machine's memory, or the user's --memory. */
  source: 'machine' | 'flag';
}

/**
 * One sentence when the estimate is over the budget, else undefined. `name` is the graph's
 * (already display-safe) name.
 */
export function memoryProblem(
  name: string,
  totals: Cost,
  batchSize: number,
  dataFileBytes: number,
  budget: MemoryBudget,
): string | undefined {
  const need = estimateTrainingMemory(totals, batchSize, dataFileBytes);
  if (need.total <= budget.bytes) return undefined;
  const has =
    budget.source === 'machine'
      ? `this machine has ${formatBytes(budget.bytes)} of memory (--memory sets another budget)`
      : `--memory allows ${formatBytes(budget.bytes)}`;
  const data = dataFileBytes > 0 ? ` with ${formatBytes(need.data)} for the data` : '';
  return `"${name}" has ${formatCount(totals.params)} parameters and needs about ${formatBytes(need.total)} to train at batch ${batchSize}${data}; ${has}.`;
}
