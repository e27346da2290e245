import * as tf from '@tensorflow/tfjs';

/**
 * Kernel functions of ours that take a batched `a` (…, M, K) by a 2-D `b` (K, N) straight, with no reshape
 * around the call (wasm-matmul.ts registers its _FusedMatMul here). tf.js's own kernels need rank-3 operands and
 * the stock wasm one gets a batched `a` wrong, so layers ask `takesBatchedRows()` before calling the kernel directly.
 */
const direct = new WeakSet<object>();

export function markDirect(kernelFunc: object): void {
  direct.add(kernelFunc);
}

/** True when the current backend's _FusedMatMul is ours: a (…, M, K)·(K, N) + bias runs as one kernel call. */
export function takesBatchedRows(): boolean {
  const config: tf.KernelConfig | undefined = tf.getKernel('_FusedMatMul', tf.getBackend());
  return config !== undefined && direct.has(config.kernelFunc);
}
