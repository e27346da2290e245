import type { Cost } from '../../core/nodes/define';

/** Bytes per float32. */
export const FLOAT_BYTES = 4;
/** Weights, their gradients, and Adam's two moment estimates: four floats per parameter. */
export const COPIES_PER_PARAM = 4;

/**
 * Rough training memory: params × 4 bytes × 4 (weights + grads + Adam moments) plus the activations kept
 * for the backward pass of a whole batch. Ignores framework overhead and temporary buffers.
 */
export function trainingMemoryBytes(totals: Cost, batchSize: number): number {
  return totals.params * FLOAT_BYTES * COPIES_PER_PARAM + totals.activations * batchSize * FLOAT_BYTES;
}
