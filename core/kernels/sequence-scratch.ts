import type * as tf from '@tensorflow/tfjs';
import { wasmRecord, type WasmBackend } from './backend-access';

/** Helpers of the whole-sequence recurrence kernels (lstm-sequence.ts, gru-sequence.ts, rnn-sequence.ts). */

export const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** Time positions in processing order: 0 up, or T − 1 down when `backwards`. */
export const orderOf = (seqLen: number, backwards: boolean): number[] =>
  Array.from({ length: seqLen }, (_, s) => (backwards ? seqLen - 1 - s : s));

export interface SequenceScratch {
  /** The tensor holding every part (the caller disposes it). */
  info: tf.TensorInfo;
  /** Each part's byte offset on the heap, 64-byte aligned. */
  at: number[];
  /** Zeroes part i. */
  zero(i: number): void;
}

/** One call's scratch on the wasm heap: parts of `floats[i]` floats, in order, each starting on a 64-byte line. */
export function sequenceScratch(backend: WasmBackend, floats: readonly number[]): SequenceScratch {
  const sized = floats.map((n) => roundUp(n, 16));
  const info = backend.makeOutput([sized.reduce((s, n) => s + n, 0) + 16], 'float32');
  const start = wasmRecord(backend, info).memoryOffset;
  const at: number[] = [];
  sized.reduce((offset, n) => (at.push(offset), offset + 4 * n), roundUp(start, 64));
  const view = backend.typedArrayFromHeap(info);
  const zero = (i: number): void => void view.fill(0, (at[i] - start) / 4, (at[i] - start) / 4 + floats[i]);
  return { info, at, zero };
}
