/**
 * Helper threads for big matrix products on wasm. tf.js 4.22's wasm matmul runs XNNPACK with no thread pool
 * (batch_mat_mul_impl.cc passes nullptr), so on a 2-core machine one core sits idle through the ~60% of a
 * Mini GPT step spent in matmul. A helper is a second thread (a Node worker or a Web Worker) with its own
 * tf.js wasm backend; the training thread hands it the lower rows of a product through shared memory, computes
 * the upper rows itself at the same time, then copies the helper's rows in.
 *
 * Kernels are synchronous, so the hand-off is too: the training thread posts a job with Atomics and waits on
 * it (Atomics.wait is allowed in workers and in Node's main thread, which is where tf.js trains). The helper
 * blocks in Atomics.wait between jobs. A helper that fails a job or does not answer is dropped and its rows
 * are computed on the training thread, so a broken helper costs speed, never a result.
 *
 * Nothing here imports Node or the DOM: the host creates the thread (host-node/gemm-helper.ts in Node,
 * renderer/workers/gemm.worker.ts in the app) and passes the channel both ways.
 */

/** The two shared buffers a helper and the training thread talk through. */
export interface GemmChannel {
  /** Int32 slots: state, m, k, n, hasBias, ready. */
  control: SharedArrayBuffer;
  /** A growable buffer for a (m, k), b (k, n), bias (n) and the result (m, n), float32, in that order. */
  data: SharedArrayBuffer;
}

const STATE = 0;
const M = 1;
const K = 2;
const N = 3;
const HAS_BIAS = 4;
const READY = 5;

const IDLE = 0;
const POSTED = 1;
const DONE = 2;
const FAILED = 3;

/** The most a product may put through one channel (a, b, bias and result): 1 GiB. */
const MAX_BYTES = 1 << 30;
/** How long the training thread waits for a helper's rows before it drops the helper and computes them. */
const ANSWER_MS = 30_000;

/** A fresh channel (nothing posted, helper not ready). */
export function createGemmChannel(): GemmChannel {
  return {
    control: new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT),
    data: new SharedArrayBuffer(0, { maxByteLength: MAX_BYTES }),
  };
}

/** Whether this runtime can share memory between threads (a page needs to be cross-origin isolated). */
export function canShareMemory(): boolean {
  try {
    const probe = new SharedArrayBuffer(0, { maxByteLength: 16 });
    return probe.growable === true && typeof Atomics.wait === 'function';
  } catch {
    return false;
  }
}

/** Multiplies a (m, k) by b (k, n), plus bias (n) when given, into a new array (m, n). */
export type Multiply = (
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | undefined,
  m: number,
  k: number,
  n: number,
) => Float32Array;

/**
 * The helper's side: marks the channel ready, then serves jobs until the thread is terminated. Blocks its
 * thread between jobs (call it last, after the helper's backend has started).
 */
export function serveGemm(channel: GemmChannel, multiply: Multiply): never {
  const control = new Int32Array(channel.control);
  Atomics.store(control, READY, 1);
  for (;;) {
    Atomics.wait(control, STATE, IDLE);
    if (Atomics.load(control, STATE) !== POSTED) continue;
    const [m, k, n] = [control[M], control[K], control[N]];
    const data = new Float32Array(channel.data); // length-tracking: sees the buffer as grown by the trainer
    let state = DONE;
    try {
      let at = 0;
      const take = (length: number): Float32Array => data.subarray(at, (at += length));
      const a = take(m * k);
      const b = take(k * n);
      const bias = control[HAS_BIAS] === 1 ? take(n) : undefined;
      take(m * n).set(multiply(a, b, bias, m, k, n));
    } catch {
      state = FAILED;
    }
    Atomics.store(control, STATE, state);
    Atomics.notify(control, STATE);
  }
}

/** The training thread's side of one helper. */
class Helper {
  private readonly control: Int32Array;
  private resultAt = 0;
  private rows = 0;
  private cols = 0;
  broken = false;

  constructor(
    private readonly channel: GemmChannel,
    private readonly answerMs: number,
  ) {
    this.control = new Int32Array(channel.control);
  }

  get ready(): boolean {
    return !this.broken && Atomics.load(this.control, READY) === 1 && Atomics.load(this.control, STATE) === IDLE;
  }

  /** Copies the job in and wakes the helper. False when the job does not fit: the caller computes it. */
  post(a: Float32Array, b: Float32Array, bias: Float32Array | undefined, m: number, k: number, n: number): boolean {
    const floats = m * k + k * n + (bias ? n : 0) + m * n;
    const bytes = floats * Float32Array.BYTES_PER_ELEMENT;
    if (bytes > MAX_BYTES) return false;
    if (this.channel.data.byteLength < bytes) this.channel.data.grow(bytes);
    const data = new Float32Array(this.channel.data, 0, floats);
    data.set(a, 0);
    data.set(b, m * k);
    if (bias) data.set(bias, m * k + k * n);
    this.resultAt = floats - m * n;
    this.rows = m;
    this.cols = n;
    const c = this.control;
    c[M] = m;
    c[K] = k;
    c[N] = n;
    c[HAS_BIAS] = bias ? 1 : 0;
    Atomics.store(c, STATE, POSTED);
    Atomics.notify(c, STATE);
    return true;
  }

  /** Waits for the posted job and copies its rows into `out`. False when the helper failed: compute them. */
  collect(out: Float32Array): boolean {
    const c = this.control;
    const deadline = performance.now() + this.answerMs;
    while (Atomics.load(c, STATE) === POSTED) {
      const left = deadline - performance.now();
      if (left <= 0) {
        this.broken = true; // it may still answer later; it is never posted to again
        return false;
      }
      Atomics.wait(c, STATE, POSTED, left);
    }
    const ok = Atomics.load(c, STATE) === DONE;
    if (ok) out.set(new Float32Array(this.channel.data, this.resultAt * 4, this.rows * this.cols));
    else this.broken = true;
    Atomics.store(c, STATE, IDLE);
    return ok;
  }
}

let helpers: Helper[] = [];

/**
 * Makes the training thread hand rows of big products to these helpers (none: every product stays here).
 * A helper that has not answered a job within `answerMs` is dropped and its rows computed here.
 */
export function useGemmHelpers(channels: readonly GemmChannel[], { answerMs = ANSWER_MS } = {}): void {
  helpers = channels.map((channel) => new Helper(channel, answerMs));
}

/** How many threads share a big product now: this one plus each helper that is up. */
export function gemmThreads(): number {
  return 1 + helpers.filter((h) => h.ready).length;
}

/** Below this many multiply-adds (M·K·N) a product stays on one thread: the hand-off (~20–50 µs) would dominate. */
export const PARALLEL_MIN_MACS = 1 << 20;

/**
 * Splits a row-major product of `rows` rows across this thread and the ready helpers. `local(r0, r1)` computes
 * rows [r0, r1) on this thread into the output; `rowsOf(r0, r1)` gives a's rows [r0, r1) (fresh views: the heap
 * may have moved); `outRows(r0, r1)` gives the output's rows [r0, r1). Returns false when no helper took part
 * (the caller runs the product its usual way).
 */
export function splitRows(
  rows: number,
  k: number,
  n: number,
  parts: {
    local(r0: number, r1: number): void;
    aRows(r0: number, r1: number): Float32Array;
    b(): Float32Array;
    bias(): Float32Array | undefined;
    outRows(r0: number, r1: number): Float32Array;
  },
): boolean {
  if (rows * k * n < PARALLEL_MIN_MACS) return false;
  const ready = helpers.filter((h) => h.ready);
  if (ready.length === 0) return false;
  const threads = Math.min(ready.length + 1, rows);
  if (threads < 2) return false;
  const share = Math.ceil(rows / threads);
  const jobs: { helper: Helper; r0: number; r1: number; posted: boolean }[] = [];
  const b = parts.b();
  const bias = parts.bias();
  for (let t = 1; t < threads; t++) {
    const r0 = t * share;
    const r1 = Math.min(rows, r0 + share);
    if (r0 >= r1) break;
    const helper = ready[t - 1];
    jobs.push({ helper, r0, r1, posted: helper.post(parts.aRows(r0, r1), b, bias, r1 - r0, k, n) });
  }
  parts.local(0, Math.min(rows, share));
  for (const job of jobs) {
    const done = job.posted && job.helper.collect(parts.outRows(job.r0, job.r1));
    if (!done) parts.local(job.r0, job.r1);
  }
  return true;
}
