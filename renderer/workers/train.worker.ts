/**
 * The training worker: a thin adapter from postMessage to core's WorkerHost (docs/architecture.md#renderer). tf.js, the data and
 * every model live here, so the UI thread never runs a training step. Backends register on import; the host
 * picks the fastest that can take a gradient (webgpu → webgl → wasm → cpu) or the one the user asked for.
 */
import { env } from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import instructions from '../../core/data/bundled/instructions.jsonl?url';
import pos from '../../core/data/bundled/pos.jsonl?url';
import sentiment from '../../core/data/bundled/sentiment.tsv?url';
import shakespeare from '../../core/data/bundled/shakespeare.txt?url';
import translation from '../../core/data/bundled/translation-en-fr.tsv?url';
import type { OwnGemmHelperInit } from '../../core/kernels/own-gemm-threads';
import { ownGemmReady, ownGemmThreads, setOwnGemmThreads } from '../../core/kernels/own-wasm';
import { WorkerHost } from '../../core/worker/host';
import { indexedDbPickCache } from '../services/pickCache';
import type { WorkerRequest, WorkerResponse } from '../../core/worker/protocol';

declare const self: DedicatedWorkerGlobalScope;

// The .wasm files ship with the build (Vite hashes them); nothing is fetched from a CDN.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

// tf.js waits for the GPU by polling a fence on a zero-delay timer, which keeps a core busy while the GPU works.
// A worker has nothing else to do meanwhile, so a blocking read (the thread sleeps) leaves that core to the UI.
env().set('WEBGL_FENCE_API_ENABLED', false);
env().set('WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_VERSION', 0);

/** Bundled dataset files by their manifest file name (core/data/bundled/manifest.ts). */
const BUNDLED: Record<string, string> = {
  'shakespeare.txt': shakespeare,
  'sentiment.tsv': sentiment,
  'pos.jsonl': pos,
  'translation-en-fr.tsv': translation,
  'instructions.jsonl': instructions,
};

/**
 * The threads wasm trains on. The product kernels, ~75% of a Mini GPT step, run on Wordloom's GEMM, split over
 * helper Web Workers on tf.js' shared heap (core/kernels/own-gemm-threads.ts); tf.js' own thread pool stays at
 * one thread. Measured by `npm run bench:app` on a 2-core machine (Mini GPT, ms/step): one thread 234.8; our
 * GEMM on 2 threads 173.7; that plus tf.js' pool at 2 threads 214.5, as its XNNPACK threads spin between ops on
 * the cores our helper needs. So the count the page asks for is our GEMM's; tf.js' threaded build is still
 * what loads (its heap is the shared one the helpers work on).
 */
function startGemmHelper(init: OwnGemmHelperInit, failed: () => void): Worker {
  const helper = new Worker(new URL('./own-gemm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'wordloom-gemm',
  });
  helper.onerror = failed; // it did not load, or its kernels did not instantiate: products run without it
  helper.postMessage(init);
  return helper;
}

/** Before wasm starts: the threaded build with one thread of its own, and our GEMM on `threads`. */
function setWasmThreads(threads: number): void {
  setThreadsCount(1);
  setOwnGemmThreads(startGemmHelper, threads);
}

/**
 * Our GEMM on `threads` from now on, once its helpers have their kernels (at most 5 s; until then, fewer). A
 * lower count leaves the other helpers asleep, so the pick switches counts between its timed steps at no cost.
 */
async function useWasmThreads(threads: number): Promise<void> {
  setOwnGemmThreads(startGemmHelper, threads);
  await ownGemmReady(5000);
}

/** The threads wasm runs on: 1 plus our GEMM's helpers (undefined until wasm has started). */
const wasmThreads = (): number | undefined => {
  try {
    getThreadsCount();
  } catch {
    return undefined; // wasm has not started
  }
  return ownGemmThreads() ?? 1;
};

const host = new WorkerHost({
  cache: indexedDbPickCache(),
  environment: { wasmThreads, isolated: self.crossOriginIsolated },
  setWasmThreads,
  useWasmThreads,
  testHooks: import.meta.env.DEV || import.meta.env.VITE_WORDLOOM_TEST_HOOK === '1',
  post: (msg: WorkerResponse) => self.postMessage(msg),
  loadBundled: async (file) => {
    const url = BUNDLED[file];
    if (!url) throw new Error(`The app was built without the bundled file ${file}.`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Could not load the bundled file ${file} (HTTP ${res.status}).`);
    return res.text();
  },
});

self.onmessage = (e: MessageEvent<WorkerRequest>) => void host.handle(e.data);
