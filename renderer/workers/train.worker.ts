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

const wasmThreads = (): number | undefined => {
  try {
    return getThreadsCount();
  } catch {
    return undefined; // wasm has not started
  }
};

/**
 * tf.js' wasm backend caps its pool at navigator.hardwareConcurrency / 2 (its C++ assumes two hyper-threads per
 * core), so a 2-core machine would get one thread whatever we ask. That cap is read once, when the wasm module
 * starts; the worker's navigator reports twice the count we chose, so the choice (from the page's real core
 * count, capped) is the one used. Nothing else in the worker reads it.
 */
function setWasmThreads(threads: number): void {
  setThreadsCount(threads);
  Object.defineProperty(self.navigator, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
}

const host = new WorkerHost({
  cache: indexedDbPickCache(),
  environment: { wasmThreads, isolated: self.crossOriginIsolated },
  setWasmThreads,
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
