import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWordloomKernels } from '../kernels/index';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** Starts a tf.js backend in Node (no tfjs-node: it cannot install offline) with Wordloom's kernels. */
export async function startNodeBackend(name: NodeBackend): Promise<string> {
  if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend could not start.`);
  await tf.ready();
  // The cpu backend prints an advert for tfjs-node (which cannot install offline) on first use.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
  registerWordloomKernels(name);
  return tf.getBackend();
}
