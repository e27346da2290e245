import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWordloomKernels } from '../kernels/index';
import { startGemmHelpers, stopGemmHelpers } from './gemm-helpers';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/**
 * Starts a tf.js backend in Node (no tfjs-node: it cannot install offline) with Wordloom's kernels. On wasm,
 * `threads` > 1 starts helper threads that share big matmuls (gemm-pool.ts); the default is one thread.
 */
export async function startNodeBackend(name: NodeBackend, { threads = 1 }: { threads?: number } = {}): Promise<string> {
  if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend could not start.`);
  await tf.ready();
  // The cpu backend prints an advert for tfjs-node (which cannot install offline) on first use.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
  registerWordloomKernels(name);
  if (name === 'wasm' && threads > 1) await startGemmHelpers(threads);
  else await stopGemmHelpers();
  return tf.getBackend();
}
