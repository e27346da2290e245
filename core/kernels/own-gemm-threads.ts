/**
 * Our GEMM on more than one thread, in place on tf.js' shared wasm heap.
 *
 * tf.js' threaded wasm build keeps its heap in a shared WebAssembly.Memory, and our kernels (own-kernels.wat)
 * keep no state of their own: every pointer is an argument. So a helper thread (a Web Worker in the app) can
 * instantiate the same kernels on the same memory and compute some 4-row panels of a product while the training
 * thread computes the others, each into its own rows of the output. Nothing is copied.
 *
 * The hand-off is synchronous, as kernels are: the training thread writes the job into a small shared
 * Int32Array and wakes the ready helpers with Atomics.notify; then every thread claims runs of 4-row panels from
 * one Atomics.add counter until none are left (a helper that wakes late takes fewer), and the training thread
 * waits for each helper to say it is done. A helper spins briefly, then sleeps in Atomics.wait between jobs. A
 * helper that has not started yet is skipped; one that dies or does not answer in time is terminated and never
 * used again, and the product is recomputed on the training thread, so a broken helper costs speed, never a
 * result.
 *
 * Nothing here imports Node or the DOM: the adapter that owns the threads (renderer/workers/train.worker.ts)
 * passes a `spawn` that starts one and hands it its `OwnGemmHelperInit`.
 */
import type { OwnWasmKernels } from './own-wasm';

/** What a helper thread is given: the heap, our compiled kernels, the control block and its slot. */
export interface OwnGemmHelperInit {
  /** tf.js' shared WebAssembly.Memory. */
  memory: object;
  /** Our kernels' compiled WebAssembly.Module (the shared-memory build that runs on the training thread). */
  module: object;
  control: SharedArrayBuffer;
  slot: number;
}

/** A started helper, as the adapter sees it. */
export interface OwnGemmHelperHandle {
  terminate(): void;
}

/** Starts a helper with `init`; the adapter calls `failed` if the thread dies (it is then never given work). */
export type OwnGemmSpawn = (init: OwnGemmHelperInit, failed: () => void) => OwnGemmHelperHandle;

// The control block: a job header of 16 int32, then a slot of 16 int32 per helper.
const HEADER = 16;
const SLOT = 16;
// Header: the next 4-row panel to claim, the panel count and claim size, gemm4x8's arguments, and how many
// claims helpers have run since the pool started (tests check the helpers really work).
const [NEXT, PANELS, CHUNK, AP, BP, BIAS, OUT, M, K, N, HELPED] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
// Slot: the helper's state, its tile, and whether its kernels are instantiated (until then it gets no work).
const [STATE, TILE, READY] = [0, 1, 9];
const IDLE = 0;
const POSTED = 1;
const DONE = 2;

/** Index of helper `slot`'s ready flag in the control block. */
export const helperReadyIndex = (slot: number): number => HEADER + slot * SLOT + READY;

/** Products below this many multiply-adds stay on one thread: waking a helper costs tens of microseconds. */
export const SPLIT_MIN_MACS = 1 << 20;
/** The most threads a product is split over (the training thread included); the scratch has a tile for each. */
export const MAX_GEMM_THREADS = 8;
/** How long the training thread waits for a helper before it drops the helper and computes the product alone. */
const ANSWER_MS = 20_000;
/** Polls of its state a helper makes after a job before it sleeps: products come in bursts, waking costs. */
const SPIN = 20_000;

interface Pool {
  memory: object;
  control: Int32Array<SharedArrayBuffer>;
  helpers: (OwnGemmHelperHandle | undefined)[];
  /** Helpers given work: the first `active` slots. A lower count leaves the others asleep, not stopped. */
  active: number;
}

let pool: Pool | undefined;
let splits = 0;
let answerMs = ANSWER_MS;

/** How many products were split over helper threads since the process started (tests check the route). */
export const ownGemmSplits = (): number => splits;

/** Tests shorten the wait for a silent helper. */
export function setOwnGemmAnswerMs(ms: number): void {
  answerMs = ms;
}

/** Whether this thread may block in Atomics.wait (a worker or Node: yes; a page's main thread: no). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs our GEMM on `threads` threads for the heap `memory`: `threads − 1` helpers (dropping those of any other
 * heap). Lowering the count keeps the helpers started, asleep, so that the pick can time 1 and N threads step by
 * step and switch back at no cost; raising it past the helpers started starts a new pool. Returns how many
 * helpers are given work; 0 where the heap is not shared, the thread may not block, or spawning fails.
 */
export function startOwnGemmThreads(memory: object, module: object, threads: number, spawn: OwnGemmSpawn): number {
  const helpers = Math.max(0, Math.min(MAX_GEMM_THREADS, Math.floor(threads)) - 1);
  if (pool?.memory === memory && helpers <= pool.helpers.length) {
    pool.active = helpers;
    return ownGemmThreadsOn(memory) - 1;
  }
  stopOwnGemmThreads();
  const buffer: unknown = Reflect.get(memory, 'buffer');
  if (helpers < 1 || !(buffer instanceof SharedArrayBuffer) || !canBlock()) return 0;
  const control = new Int32Array(new SharedArrayBuffer((HEADER + SLOT * helpers) * Int32Array.BYTES_PER_ELEMENT));
  const started: (OwnGemmHelperHandle | undefined)[] = [];
  const mine: Pool = { memory, control, helpers: started, active: 0 };
  const drop = (slot: number) => () => {
    mine.helpers[slot]?.terminate();
    mine.helpers[slot] = undefined;
  };
  for (let slot = 0; slot < helpers; slot++) {
    try {
      started.push(spawn({ memory, module, control: control.buffer, slot }, drop(slot)));
    } catch {
      break; // fewer helpers; the training thread still does its part
    }
  }
  mine.active = started.length;
  pool = mine;
  return started.length;
}

/** Terminates the helpers. */
export function stopOwnGemmThreads(): void {
  for (const h of pool?.helpers ?? []) h?.terminate();
  pool = undefined;
}

/** The helpers of `memory`'s pool that are given work (started and not dropped, ready or not), by slot. */
function activeSlots(memory: object): number[] {
  if (pool?.memory !== memory) return [];
  const p = pool;
  return p.helpers.flatMap((h, slot) => (h && slot < p.active ? [slot] : []));
}

/** Threads our GEMM runs on for `memory`: the training thread plus the helpers given work (ready or not). */
export function ownGemmThreadsOn(memory: object): number {
  return 1 + activeSlots(memory).length;
}

/** Claims of panels the helpers of `memory`'s pool have computed since it started. */
export function helperClaims(memory: object): number {
  return pool?.memory === memory ? Atomics.load(pool.control, HELPED) : 0;
}

/** Helpers given work for `memory` whose kernels are instantiated. */
export function readyOwnGemmHelpers(memory: object): number {
  return activeSlots(memory).filter((slot) => Atomics.load(pool!.control, helperReadyIndex(slot)) === 1).length;
}

/** Claims runs of 4-row panels of the posted job until none are left, computing each with `tile`. */
function claimPanels(
  c: Int32Array<SharedArrayBuffer>,
  gemm: OwnWasmKernels['gemm4x8'],
  tile: number,
  helper: boolean,
): void {
  const [panels, chunk, ap, bp, bias, out, m, k, n] = [
    c[PANELS],
    c[CHUNK],
    c[AP],
    c[BP],
    c[BIAS],
    c[OUT],
    c[M],
    c[K],
    c[N],
  ];
  for (;;) {
    const first = Atomics.add(c, NEXT, chunk);
    if (first >= panels) return;
    const row = first * 4;
    const rows = Math.min(m, (first + chunk) * 4) - row;
    gemm(ap + row * k * 4, bp, bias, out + row * n * 4, rows, k, n, tile); // a 4-row panel of a is 4·k floats
    if (helper) Atomics.add(c, HELPED, 1);
  }
}

/**
 * out (m, n) = packed a · packed b (+ bias) as gemm4x8 computes it, shared by the training thread and the ready
 * helpers of `memory` when the product is big enough: each claims runs of 4-row panels from a shared counter
 * until none are left, so a helper that wakes late takes fewer. `tile` has 32 floats per thread.
 */
export function gemmSplit(
  own: OwnWasmKernels,
  memory: object | undefined,
  ap: number,
  bp: number,
  bias: number,
  out: number,
  m: number,
  k: number,
  n: number,
  tile: number,
): void {
  const p = pool;
  const panels = Math.ceil(m / 4);
  const ready: number[] = [];
  if (p && memory !== undefined && panels >= 2 && m * k * n >= SPLIT_MIN_MACS) {
    for (const slot of activeSlots(memory)) if (Atomics.load(p.control, helperReadyIndex(slot)) === 1) ready.push(slot);
  }
  if (!p || ready.length === 0) {
    own.gemm4x8(ap, bp, bias, out, m, k, n, tile);
    return;
  }
  const c = p.control;
  const threads = Math.min(ready.length + 1, panels);
  const helpers = ready.slice(0, threads - 1);
  // Claims of about an eighth of a thread's share: few calls, and little left over when one thread is late.
  [c[PANELS], c[CHUNK]] = [panels, Math.max(1, Math.floor(panels / (8 * threads)))];
  [c[AP], c[BP], c[BIAS], c[OUT], c[M], c[K], c[N]] = [ap, bp, bias, out, m, k, n];
  Atomics.store(c, NEXT, 0);
  helpers.forEach((slot, i) => {
    const at = HEADER + slot * SLOT;
    c[at + TILE] = tile + (i + 1) * 32 * 4;
    Atomics.store(c, at + STATE, POSTED);
    Atomics.notify(c, at + STATE);
  });
  claimPanels(c, own.gemm4x8, tile, false);
  let whole = true;
  for (const slot of helpers) {
    const at = HEADER + slot * SLOT + STATE;
    const deadline = Date.now() + answerMs;
    let state = Atomics.load(c, at);
    for (let spin = 0; state === POSTED && spin < SPIN; spin++) state = Atomics.load(c, at);
    while (state === POSTED && Date.now() < deadline) {
      Atomics.wait(c, at, POSTED, Math.max(1, deadline - Date.now()));
      state = Atomics.load(c, at);
    }
    if (state !== DONE) {
      // Silent: dropped for good (terminated, so it cannot write late); which rows it took is unknown.
      p.helpers[slot]?.terminate();
      p.helpers[slot] = undefined;
      whole = false;
    }
    Atomics.store(c, at, IDLE);
  }
  if (!whole) own.gemm4x8(ap, bp, bias, out, m, k, n, tile); // every row again, on this thread
  splits += 1;
}

/** The part of the WebAssembly JS API a helper uses, read off globalThis (core/ compiles without DOM typings). */
interface InstanceApi {
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => {
    exports: Record<string, unknown>;
  };
}

/**
 * A helper thread's whole life: instantiate our kernels on the shared heap, say it is ready, then run each
 * posted job until the thread is terminated. Never returns.
 */
export function serveOwnGemm(init: OwnGemmHelperInit): void {
  const api = Reflect.get(globalThis, 'WebAssembly') as InstanceApi;
  const { exports } = new api.Instance(init.module, { env: { memory: init.memory } });
  const gemm = exports.gemm4x8 as OwnWasmKernels['gemm4x8'];
  const c = new Int32Array(init.control);
  const at = HEADER + init.slot * SLOT;
  Atomics.store(c, at + READY, 1);
  for (;;) {
    let state = Atomics.load(c, at + STATE);
    for (let spin = 0; state !== POSTED && spin < SPIN; spin++) state = Atomics.load(c, at + STATE);
    if (state !== POSTED) {
      Atomics.wait(c, at + STATE, state); // IDLE or DONE: sleep until the training thread posts
      continue;
    }
    claimPanels(c, gemm, c[at + TILE], true);
    Atomics.store(c, at + STATE, DONE);
    Atomics.notify(c, at + STATE);
  }
}
