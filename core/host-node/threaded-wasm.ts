/**
 * tf.js' threaded-SIMD wasm build in Node, so that our GEMM's helper threads (own-gemm-threads.ts) share its
 * heap there as they do in the cross-origin-isolated app.
 *
 * tf.js 4.22 turns the threaded build off in Node (flags_wasm.ts, tensorflow/tfjs#3830) because its loader
 * hands Emscripten's pthread workers a `blob:` URL and a Blob of the glue, which Node's `Worker` cannot load.
 * Emscripten's glue and worker script both run in Node when given code and a file path instead, so while the
 * backend initialises, `Worker` (the one Emscripten takes from `worker_threads`) is swapped for one that makes
 * exactly that substitution: the worker script's text (the one tf.js put in the Blob) as eval'd code, and the
 * glue's path in its `load` message. tf.js itself runs XNNPACK without a thread pool, so those 8 pthread workers
 * only wait; the work is split by our own helpers.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

type WorkerClass = typeof import('node:worker_threads').Worker;

interface LoadMessage {
  cmd?: unknown;
  urlOrBlob?: unknown;
}

function isLoad(message: unknown): message is LoadMessage {
  return typeof message === 'object' && message !== null && Reflect.get(message, 'cmd') === 'load';
}

/** A Worker class that loads tf.js' pthread worker from `code` and points its `load` message at `glue`. */
function pthreadWorker(Base: WorkerClass, code: string, glue: string): WorkerClass {
  return class extends Base {
    constructor(...args: ConstructorParameters<WorkerClass>) {
      const [file, options] = args;
      if (typeof file === 'string' && file.startsWith('blob:')) {
        super(code, { ...options, eval: true });
        this.unref(); // an idle pthread never keeps the process alive
      } else super(...args);
    }

    override postMessage(...args: Parameters<InstanceType<WorkerClass>['postMessage']>): void {
      const [message, transfer] = args;
      if (isLoad(message) && typeof message.urlOrBlob !== 'string')
        super.postMessage({ ...message, urlOrBlob: glue }, transfer);
      else super.postMessage(...args);
    }
  };
}

/**
 * Starts tf.js' wasm backend on its threaded build (a shared heap). Resolves true when it did; false, with the
 * backend left unstarted, where this tf.js or Node cannot (the caller then starts the plain build).
 */
export async function startThreadedWasm(): Promise<boolean> {
  const threads: { Worker: WorkerClass } = require('node:worker_threads');
  const Original = threads.Worker;
  let code: string;
  let glue: string;
  try {
    const worker: {
      wasmWorkerContents?: unknown;
    } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
    if (typeof worker.wasmWorkerContents !== 'string') return false;
    // The text sits in a template literal, which turned the escapes of its string literals into newlines; tf.js
    // undoes that the same way before it makes its Blob.
    code = worker.wasmWorkerContents.replace(/\n/g, '\\n');
    glue = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  } catch {
    return false;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(1); // tf.js' own kernels stay on this thread, as in the app's worker
  threads.Worker = pthreadWorker(Original, code, glue);
  let started: boolean;
  try {
    started = await tf.setBackend('wasm');
  } catch {
    started = false;
  } finally {
    threads.Worker = Original;
  }
  if (!started) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return started;
}
