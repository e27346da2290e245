import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { isWasmBackend } from '../kernels/backend-access';
import { registerWordloomKernels } from '../kernels/index';
import { wasmThreadsFor, type OwnGemmSpawn } from '../kernels/own-gemm-threads';
import { ownGemmReady, ownGemmThreads, ownWasmHeap, setOwnGemmThreads } from '../kernels/own-wasm';
import { startThreadedWasm } from './threaded-wasm';

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

/** A helper thread of our GEMM: a Node worker on the shared heap, never keeping the process alive. */
const spawnHelper: OwnGemmSpawn = (init, failed) => {
  const worker = new Worker(new URL('./own-gemm-worker.mjs', import.meta.url), { workerData: init });
  worker.unref();
  worker.on('error', failed); // a dead helper is dropped; its share runs on the training thread
  return { terminate: () => void worker.terminate() };
};

/**
 * Starts a tf.js backend in Node (no tfjs-node: it cannot install offline) with Wordloom's kernels. On wasm,
 * `threads` > 1 starts tf.js' threaded build (threaded-wasm.ts) and `threads − 1` helpers that share our GEMM's
 * big products and element-wise jobs (own-gemm-threads.ts), as in the app; the default is one thread. Where the
 * threaded build cannot start, wasm runs on one thread. Returns the backend's name.
 */
export async function startNodeBackend(name: NodeBackend, { threads = 1 }: { threads?: number } = {}): Promise<string> {
  if (name === 'wasm') enableRelaxedSimd();
  const threaded = name === 'wasm' && threads > 1 && !('wasm' in tf.engine().registry) && (await startThreadedWasm());
  if (!threaded && !(await tf.setBackend(name))) throw new Error(`The ${name} backend could not start.`);
  await tf.ready();
  // The cpu backend prints an advert for tfjs-node (which cannot install offline) on first use.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
  registerWordloomKernels(name);
  if (name === 'wasm') {
    setOwnGemmThreads(spawnHelper, threads);
    const engine: unknown = tf.engine().backend;
    if (isWasmBackend(engine)) ownWasmHeap(engine); // instantiates our kernels, which starts the helpers
    await ownGemmReady(30_000);
  }
  return tf.getBackend();
}

/** Threads to train on with wasm here when the user did not say: half the cores, 2 to 4 (wasmThreadsFor). */
export const defaultThreads = (): number => wasmThreadsFor(availableParallelism());

/** Threads a wasm product runs on in this process: 1 plus our GEMM's helpers (1 on a plain heap). */
export const nodeWasmThreads = (): number => ownGemmThreads() ?? 1;
