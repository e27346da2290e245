import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setFlagsFromString } from 'node:v8';
import { registerWordloomKernels } from '../kernels/index';
import { startGemmHelpers, stopGemmHelpers } from './gemm-helpers';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** A module whose one function uses f32x4.relaxed_madd: it validates where the engine has relaxed SIMD. */
const RELAXED_PROBE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2,
  253, 133, 2, 11,
]);

/**
 * Relaxed SIMD (Wasm 3.0; in Chromium since 114, in Node by default from 22) lets our kernels use fused
 * multiply-adds. Node 20 has it behind V8's --experimental-wasm-relaxed-simd, which V8 reads when it compiles a
 * module, so it is turned on here, before the kernels compile. True when the engine then validates it.
 */
export function enableRelaxedSimd(): boolean {
  if (WebAssembly.validate(RELAXED_PROBE)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(RELAXED_PROBE);
}

/**
 * Starts a tf.js backend in Node (no tfjs-node: it cannot install offline) with Wordloom's kernels. On wasm,
 * `threads` > 1 starts helper threads that share big matmuls (gemm-pool.ts); the default is one thread.
 */
export async function startNodeBackend(name: NodeBackend, { threads = 1 }: { threads?: number } = {}): Promise<string> {
  if (name === 'wasm') enableRelaxedSimd();
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
