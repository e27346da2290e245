import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createGemmChannel, gemmThreads, useGemmHelpers, type GemmChannel } from '../kernels/gemm-pool';

/** At most this many threads share a product: past 4 the hand-off costs more than the rows save at our sizes. */
export const MAX_THREADS = 4;

/** Threads to use when the user did not say: the machine's cores, capped. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

let workers: Worker[] = [];

/** Ends every helper thread; products run on the calling thread alone again. */
export async function stopGemmHelpers(): Promise<void> {
  useGemmHelpers([]);
  const ending = workers;
  workers = [];
  await Promise.all(ending.map((w) => w.terminate()));
}

/**
 * Starts `threads - 1` helper threads for big wasm matmuls (gemm-pool.ts) and waits until they serve, at most
 * `timeoutMs`. Returns the threads that share a product now (1 when helpers could not start: training still works).
 */
export async function startGemmHelpers(threads: number, timeoutMs = 30_000): Promise<number> {
  await stopGemmHelpers();
  const count = Math.max(0, Math.min(MAX_THREADS, Math.floor(threads)) - 1);
  if (count === 0) return 1;
  const channels: GemmChannel[] = [];
  for (let i = 0; i < count; i++) {
    const channel = createGemmChannel();
    const worker = new Worker(new URL('./gemm-worker.mjs', import.meta.url), { workerData: channel });
    worker.unref(); // never keeps the process alive
    worker.on('error', () => undefined); // a dead helper is dropped by the pool; its rows run here
    channels.push(channel);
    workers.push(worker);
  }
  useGemmHelpers(channels);
  const deadline = Date.now() + timeoutMs;
  while (gemmThreads() < count + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return gemmThreads();
}
