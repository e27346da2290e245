/**
 * Our kernels on more than one thread, in place on tf.js' shared wasm heap.
 *
 * tf.js' threaded wasm build keeps its heap in a shared WebAssembly.Memory, and our kernels (own-kernels.wat)
 * keep no state of their own: every pointer is an argument. So a helper thread (a Web Worker in the app) can
 * instantiate the same kernels on the same memory and compute some units of a job while the training thread
 * computes the others, each into its own part of the output. Nothing is copied. A job is one kernel over units:
 * the 4-row panels of a product (or of a batch of products packed whole), blocks of floats of GELU, its
 * gradient or AdamW, or the (batch, head) entries of attention forward or backward (attention-entries.ts).
 *
 * The hand-off is synchronous, as kernels are: the training thread writes the job into a small shared
 * Int32Array and wakes the ready helpers with Atomics.notify; then every thread claims runs of units from one
 * Atomics.add counter until none are left (a helper that wakes late takes fewer), and the training thread
 * waits for each helper that took the job to say it is done, and takes the job back from one that has not woken
 * yet. A helper spins briefly, then sleeps in Atomics.wait between jobs. A helper that has not started yet is
 * skipped; one that dies or does not answer in time is terminated and never used again (the job is then run
 * again whole on the training thread), as is one that neither takes a job nor wakes for as long, so a broken
 * helper costs speed, never a result.
 *
 * Nothing here imports Node or the DOM: the adapter that owns the threads (renderer/workers/train.worker.ts)
 * passes a `spawn` that starts one and hands it its `OwnGemmHelperInit`.
 */
import { attentionBackward, attentionForward, type AttentionJob, type AttentionKernels } from './attention-entries';
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

// The control block: a job header of 48 int32, then a slot of 16 int32 per helper.
const HEADER = 48;
const SLOT = 16;
// Header: the next unit to claim, the unit count and the threads sharing it, the job's kind, how many claims
// helpers have run since the pool started (tests check the helpers really work), the product's sizes and
// per-entry strides, then the kernel's pointer arguments and its float arguments (read as float32).
const [NEXT, UNITS, SHARERS, KIND, HELPED, M, K, N, SA, SB, SO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PTR = 12; // 16 pointers
const FLT = 28; // 8 floats
// Slot: the helper's state, its tile, whether its kernels are instantiated (until then it gets no work), and how
// many times it has woken from waiting (a helper that misses jobs but wakes is alive).
const [STATE, TILE, READY, WOKE] = [0, 1, 9, 10];
const IDLE = 0;
const POSTED = 1;
const DONE = 2;
/** A helper that has taken the posted job (from POSTED, atomically: the training thread may take it back). */
const RUNNING = 3;

/** The kernels a job runs, each over a range of its units. */
const enum Job {
  /**
   * gemm4x8 over the 4-row panels of one or more products of the same sizes, `SA`, `SB`, `SO` bytes apart;
   * pointers packed a, packed b, bias, out, then a unpacked, its bytes between entries and its strides sar
   * and sak (sak 0: a is packed already; else each claim packs its own panels of a first, with pack_a4).
   */
  Gemm = 0,
  /** gelu4 (x, y) over blocks of MAP_BLOCK floats. */
  Gelu = 1,
  /** gelu_grad4 (dy, x, dx) over blocks. */
  GeluGrad = 2,
  /** adamw (p, g, m, v, p2, m2, v2; its 8 floats) over blocks. */
  AdamW = 3,
  /**
   * Attention forward over (batch, head) entries: M = T, K = d, N = heads, SA = causal; pointers qkv, keep,
   * probs, out, dy; float scale. Each thread packs into its own scratch (its tile pointer).
   */
  Attention = 4,
  /** Attention backward over entries, the same arguments. */
  AttentionGrad = 5,
  /**
   * gemm4x8_ex over the 8-column panels of one product whose a is packed (pointers packed a, packed b, bias,
   * out): for a product of few rows, where splitting rows would have every thread stream all of b.
   */
  GemmColumns = 6,
  /** A recurrent cell over rows (ROW_KERNELS: lstm_cell, lstm_cell_grad, gru_*, rnn_*): M = rows, N = units. */
  LstmCell = 7,
  LstmCellGrad = 8,
  GruGates = 9,
  GruOut = 10,
  GruGradA = 11,
  GruGradB = 12,
  RnnCell = 13,
  RnnCellGrad = 14,
}

/** The element-wise kernels a job may split (by blocks of MAP_BLOCK floats). */
export type OwnMapKernel = 'gelu4' | 'gelu_grad4' | 'adamw';
const MAP_JOBS: Record<OwnMapKernel, Job> = { gelu4: Job.Gelu, gelu_grad4: Job.GeluGrad, adamw: Job.AdamW };

/** The exports a helper calls. */
type JobKernels = Pick<
  OwnWasmKernels,
  'gemm4x8' | 'gelu4' | 'gelu_grad4' | 'adamw' | 'pack_a4' | OwnRowKernel
> &
  AttentionKernels;

/** Index of helper `slot`'s ready flag in the control block. */
export const helperReadyIndex = (slot: number): number => HEADER + slot * SLOT + READY;

/** Products below this many multiply-adds stay on one thread: waking a helper costs tens of microseconds. */
export const SPLIT_MIN_MACS = 1 << 20;
/** Element-wise kernels over fewer floats than this stay on one thread (GELU: about 5 ns a float). */
export const SPLIT_MIN_FLOATS = 1 << 15;
/** Floats in a unit of an element-wise job (a multiple of 4: every unit but the last is whole SIMD lanes). */
const MAP_BLOCK = 1024;
/**
 * Threads to train on with wasm for `cores` logical cores, in the app's worker and in Node: half of them (tf.js'
 * own rule: x86 cores run two hyper-threads), but at least 2 wherever there are 2 cores, and at most 4. Where the
 * heap is not shared (a page that is not cross-origin isolated), wasm runs on one thread whatever this says. The
 * app's worker also times 1 thread before a model's first run and trains at the faster.
 */
export const MAX_WASM_THREADS = 4;
export function wasmThreadsFor(cores: number): number {
  const n = Math.floor(cores) || 1;
  return n < 2 ? 1 : Math.min(MAX_WASM_THREADS, Math.max(2, Math.floor(n / 2)));
}

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
  /**
   * Per helper, when it first missed a job (Date.now()) since it last took one or last woke, and its wake count
   * then; 0: it has not missed one since. A helper asleep through a pause is not held to the pause, and one that
   * wakes too late for short jobs is alive: only a helper that neither takes a job nor wakes for the whole
   * answer wait is dropped.
   */
  missedSince: number[];
  wokeAt: number[];
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
  const mine: Pool = { memory, control, helpers: started, active: 0, missedSince: [], wokeAt: [] };
  const drop = (slot: number) => () => {
    mine.helpers[slot]?.terminate();
    mine.helpers[slot] = undefined;
  };
  for (let slot = 0; slot < helpers; slot++) {
    try {
      started.push(spawn({ memory, module, control: control.buffer, slot }, drop(slot)));
      mine.missedSince.push(0);
      mine.wokeAt.push(0);
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

/** A job: its kernel, the product's sizes and per-entry strides (Gemm), its pointer and float arguments. */
interface JobArgs {
  kind: Job;
  m: number;
  k: number;
  n: number;
  sa: number;
  sb: number;
  so: number;
  ptr: readonly number[];
  flt: readonly number[];
  /** Bytes between the threads' tiles (scratch): 32 floats, or an attention entry's scratch. */
  tileBytes?: number;
}

function writeJob(c: Int32Array<SharedArrayBuffer>, job: JobArgs): void {
  [c[KIND], c[M], c[K], c[N], c[SA], c[SB], c[SO]] = [job.kind, job.m, job.k, job.n, job.sa, job.sb, job.so];
  job.ptr.forEach((ptr, i) => (c[PTR + i] = ptr));
  new Float32Array(c.buffer, FLT * 4, 8).set(job.flt);
}

function readJob(c: Int32Array<SharedArrayBuffer>): JobArgs {
  return {
    kind: c[KIND] as Job,
    m: c[M],
    k: c[K],
    n: c[N],
    sa: c[SA],
    sb: c[SB],
    so: c[SO],
    ptr: Array.from(c.subarray(PTR, PTR + 16)),
    flt: Array.from(new Float32Array(c.buffer, FLT * 4, 8)),
  };
}

/** The recurrent cells of ours that run over rows: (pointers…, rows, units), every row on its own. */
export type OwnRowKernel =
  | 'lstm_cell'
  | 'lstm_cell_grad'
  | 'gru_gates'
  | 'gru_out'
  | 'gru_grad_a'
  | 'gru_grad_b'
  | 'rnn_cell'
  | 'rnn_cell_grad';

/**
 * Each row kernel's job and, per pointer, the floats one row of it takes as a multiple of units (0: one float,
 * the mask): lstm_cell x, hu, c, h, m, gates, tc, c2, h2; lstm_cell_grad dy, dhCarry, dhMat, dc, m, gates, tc,
 * c, dA, dcPrev, dhPrev; gru_gates x, hu, h, gates, rh; gru_out x, hh, h, m, gates, h2; gru_grad_a dy, dhCarry,
 * dhMat, m, gates, h, dA, dhPrev, rh; gru_grad_b drh, gates, h, dA, dhPrev; rnn_cell x, hu, h, m, act, h2;
 * rnn_cell_grad dy, dhCarry, dhMat, m, act, dA, dhPrev.
 */
const ROW_KERNELS: Record<OwnRowKernel, { kind: Job; strides: readonly number[] }> = {
  lstm_cell: { kind: Job.LstmCell, strides: [4, 4, 1, 1, 0, 4, 1, 1, 1] },
  lstm_cell_grad: { kind: Job.LstmCellGrad, strides: [1, 1, 1, 1, 0, 4, 1, 1, 4, 1, 1] },
  gru_gates: { kind: Job.GruGates, strides: [3, 2, 1, 3, 1] },
  gru_out: { kind: Job.GruOut, strides: [3, 1, 1, 0, 3, 1] },
  gru_grad_a: { kind: Job.GruGradA, strides: [1, 1, 1, 0, 3, 1, 3, 1, 1] },
  gru_grad_b: { kind: Job.GruGradB, strides: [1, 3, 1, 3, 1] },
  rnn_cell: { kind: Job.RnnCell, strides: [1, 1, 1, 0, 1, 1] },
  rnn_cell_grad: { kind: Job.RnnCellGrad, strides: [1, 1, 1, 0, 1, 1, 1] },
};
const ROW_KERNEL_OF = new Map(Object.entries(ROW_KERNELS).map(([name, { kind }]) => [kind, name as OwnRowKernel]));

/**
 * One recurrent cell kernel of ours over `rows` rows of `units` units, its pointers in order, shared with the
 * ready helpers of `memory` by rows when big enough. Rows are independent: the result is the one-thread result,
 * bit for bit.
 */
export function rowKernelSplit(
  own: JobKernels,
  memory: object | undefined,
  kernel: OwnRowKernel,
  pointers: readonly number[],
  rows: number,
  units: number,
): void {
  const { kind, strides } = ROW_KERNELS[kernel];
  if (pointers.length !== strides.length) throw new Error(`${kernel} takes ${strides.length} pointers.`);
  const job: JobArgs = { kind, m: rows, k: 0, n: units, sa: 0, sb: 0, so: 0, ptr: pointers, flt: [] };
  runJob(own, memory, job, rows, 4 * rows * units >= SPLIT_MIN_FLOATS, 0);
}

/** The attention call a job describes (see Job.Attention). */
const attentionOf = (job: JobArgs): AttentionJob => ({
  seqLen: job.m,
  headDim: job.k,
  heads: job.n,
  causal: job.sa === 1,
  scale: job.flt[0],
  qkv: job.ptr[0],
  keep: job.ptr[1],
  probs: job.ptr[2],
  out: job.ptr[3],
  dy: job.ptr[4],
});

/** Runs units [first, last) of `job`: 4-row panels of its products, blocks of its element-wise kernel, entries. */
function runUnits(job: JobArgs, own: JobKernels, tile: number, first: number, last: number): void {
  const { m, k, n, ptr: p } = job;
  const rowKernel = ROW_KERNEL_OF.get(job.kind);
  if (rowKernel !== undefined) {
    // rows [first, last): each pointer moved by whole rows of its width
    const q = ROW_KERNELS[rowKernel].strides.map((units, i) => p[i] + 4 * first * (units === 0 ? 1 : units * n));
    (own[rowKernel] as (...args: number[]) => void)(...q, last - first, n);
    return;
  }
  if (job.kind === Job.GemmColumns) {
    const [col, end] = [first * 8, Math.min(n, last * 8)];
    const bias = p[2] === 0 ? 0 : p[2] + 4 * col; // the packed bias is padded to whole panels
    own.gemm4x8_ex(p[0], p[1] + first * k * 32, bias, p[3] + 4 * col, m, k, end - col, tile, n, 0);
    return;
  }
  if (job.kind === Job.Attention || job.kind === Job.AttentionGrad) {
    (job.kind === Job.Attention ? attentionForward : attentionBackward)(own, attentionOf(job), tile, first, last);
    return;
  }
  if (job.kind === Job.Gemm) {
    const perEntry = Math.ceil(m / 4);
    for (let unit = first; unit < last;) {
      const entry = Math.floor(unit / perEntry);
      const end = Math.min(perEntry, last - entry * perEntry);
      const row = (unit - entry * perEntry) * 4;
      const rows = Math.min(m, end * 4) - row;
      const a = p[0] + entry * job.sa + row * k * 4; // a 4-row panel of packed a is 4·k floats
      if (p[7] !== 0) own.pack_a4(p[4] + entry * p[5] + row * p[6] * 4, a, rows, k, p[6], p[7]);
      own.gemm4x8(a, p[1] + entry * job.sb, p[2], p[3] + entry * job.so + row * n * 4, rows, k, n, tile);
      unit = entry * perEntry + end;
    }
    return;
  }
  const lo = first * MAP_BLOCK;
  const count = Math.min(n, last * MAP_BLOCK) - lo;
  const at = (i: number): number => p[i] + 4 * lo;
  if (job.kind === Job.Gelu) own.gelu4(at(0), at(1), count);
  else if (job.kind === Job.GeluGrad) own.gelu_grad4(at(0), at(1), at(2), count);
  else {
    const f = job.flt;
    own.adamw(at(0), at(1), at(2), at(3), at(4), at(5), at(6), count, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
  }
}

/** Claims runs of units of the job posted in `c` until none are left. */
function claimUnits(
  c: Int32Array<SharedArrayBuffer>,
  job: JobArgs,
  own: JobKernels,
  tile: number,
  helper: boolean,
): void {
  const [units, threads] = [c[UNITS], c[SHARERS]];
  for (;;) {
    // Guided: half of an even share of what is left, so claims shrink toward the end and the last thread to
    // finish is late by a small claim, not an eighth of a share (the training thread waits for it)
    const size = Math.max(1, Math.floor((units - Atomics.load(c, NEXT)) / (2 * threads)));
    const first = Atomics.add(c, NEXT, size);
    if (first >= units) return;
    runUnits(job, own, tile, first, Math.min(units, first + size));
    if (helper) Atomics.add(c, HELPED, 1);
  }
}

/**
 * Runs `job` over `units` units, shared with the ready helpers of `memory` when `big` and there are at least
 * two units: each thread claims runs of units from a shared counter until none are left, so a helper that wakes
 * late takes fewer. Without helpers, or when one was dropped, the calling thread runs every unit itself (the
 * kernels' outputs never alias their inputs, so running a unit twice is harmless).
 */
function runJob(
  own: JobKernels,
  memory: object | undefined,
  job: JobArgs,
  units: number,
  big: boolean,
  tile: number,
): void {
  const p = pool;
  const ready: number[] = [];
  if (p && memory !== undefined && units >= 2 && big) {
    for (const slot of activeSlots(memory)) if (Atomics.load(p.control, helperReadyIndex(slot)) === 1) ready.push(slot);
  }
  if (!p || ready.length === 0) {
    runUnits(job, own, tile, 0, units);
    return;
  }
  const c = p.control;
  const threads = Math.min(ready.length + 1, units);
  const helpers = ready.slice(0, threads - 1);
  writeJob(c, job);
  [c[UNITS], c[SHARERS]] = [units, threads];
  Atomics.store(c, NEXT, 0);
  helpers.forEach((slot, i) => {
    const at = HEADER + slot * SLOT;
    c[at + TILE] = tile + (i + 1) * (job.tileBytes ?? 32 * 4);
    Atomics.store(c, at + STATE, POSTED);
    Atomics.notify(c, at + STATE);
  });
  claimUnits(c, job, own, tile, false);
  let whole = true;
  for (const slot of helpers) {
    const at = HEADER + slot * SLOT + STATE;
    // A helper that has not taken the job yet (still asleep) gets it taken back: every unit is done, and waiting
    // for it to wake only to find none left cost a wake-up (~80 µs here) per product. One that has missed every
    // job posted over the whole wait is dropped, as a silent one is below.
    if (Atomics.compareExchange(c, at, POSTED, IDLE) === POSTED) {
      const [now, woke] = [Date.now(), Atomics.load(c, HEADER + slot * SLOT + WOKE)];
      if (p.missedSince[slot] === 0 || woke !== p.wokeAt[slot]) [p.missedSince[slot], p.wokeAt[slot]] = [now, woke];
      else if (now - p.missedSince[slot] > answerMs) {
        p.helpers[slot]?.terminate();
        p.helpers[slot] = undefined;
      }
      continue;
    }
    p.missedSince[slot] = 0;
    const deadline = Date.now() + answerMs;
    let state = Atomics.load(c, at);
    for (let spin = 0; state === RUNNING && spin < SPIN; spin++) state = Atomics.load(c, at);
    while (state === RUNNING && Date.now() < deadline) {
      Atomics.wait(c, at, RUNNING, Math.max(1, deadline - Date.now()));
      state = Atomics.load(c, at);
    }
    if (state !== DONE) {
      // Silent: dropped for good (terminated, so it cannot write late); which units it took is unknown.
      p.helpers[slot]?.terminate();
      p.helpers[slot] = undefined;
      whole = false;
    }
    Atomics.store(c, at, IDLE);
  }
  if (!whole) runUnits(job, own, tile, 0, units); // every unit again, on this thread
  splits += 1;
}

/** Packed operands of `entries` products of the same sizes, each `sa`, `sb`, `so` bytes after the last. */
export interface GemmEntries {
  ap: number;
  bp: number;
  bias: number;
  out: number;
  entries: number;
  sa: number;
  sb: number;
  so: number;
  /**
   * Where a is not packed yet: a itself, its bytes between entries and its strides (a[i, kk] at
   * a + 4·(i·sar + kk·sak)). Each claim then packs the panels it computes into `ap`, right before it reads
   * them: the packing is shared by the threads, and the packed rows are still in cache.
   */
  unpacked?: { a: number; stride: number; sar: number; sak: number };
}

/**
 * out (m, n) = packed a · packed b (+ bias) as gemm4x8 computes it, for each of `e.entries` products (1: one
 * product), shared by the training thread and the ready helpers of `memory` when the products together are
 * big enough: the units are the entries' 4-row panels, so attention's many small products split too. `tile`
 * has 32 floats per thread.
 */
export function gemmSplitEntries(
  own: JobKernels,
  memory: object | undefined,
  e: GemmEntries,
  m: number,
  k: number,
  n: number,
  tile: number,
): void {
  const job: JobArgs = {
    kind: Job.Gemm,
    m,
    k,
    n,
    sa: e.sa,
    sb: e.sb,
    so: e.so,
    ptr: [
      e.ap,
      e.bp,
      e.bias,
      e.out,
      ...(e.unpacked ? [e.unpacked.a, e.unpacked.stride, e.unpacked.sar, e.unpacked.sak] : [0, 0, 0, 0]),
    ],
    flt: [],
  };
  runJob(own, memory, job, e.entries * Math.ceil(m / 4), e.entries * m * k * n >= SPLIT_MIN_MACS, tile);
}

/**
 * One product of few rows (a packed at ap), shared by its 8-column panels: each thread reads all of the small
 * packed a and only its own panels of b.
 */
export function gemmSplitColumns(
  own: JobKernels,
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
  const job: JobArgs = { kind: Job.GemmColumns, m, k, n, sa: 0, sb: 0, so: 0, ptr: [ap, bp, bias, out], flt: [] };
  runJob(own, memory, job, Math.ceil(n / 8), m * k * n >= SPLIT_MIN_MACS, tile);
}

/** One product: gemmSplitEntries with a single entry (a packed at ap, or `unpacked` there and packed by claims). */
export function gemmSplit(
  own: JobKernels,
  memory: object | undefined,
  ap: number,
  bp: number,
  bias: number,
  out: number,
  m: number,
  k: number,
  n: number,
  tile: number,
  unpacked?: GemmEntries['unpacked'],
): void {
  gemmSplitEntries(own, memory, { ap, bp, bias, out, entries: 1, sa: 0, sb: 0, so: 0, unpacked }, m, k, n, tile);
}

/**
 * An element-wise kernel of ours over `n` floats (pointers: its pointer arguments; floats: its float
 * arguments), split over the ready helpers of `memory` by blocks when `n` is big enough. Every float is
 * computed by the same instructions wherever it runs, so the result is the one-thread result, bit for bit.
 */
export function mapSplit(
  own: JobKernels,
  memory: object | undefined,
  kernel: OwnMapKernel,
  pointers: readonly number[],
  n: number,
  floats: readonly number[] = [],
): void {
  const job: JobArgs = { kind: MAP_JOBS[kernel], m: 0, k: 0, n, sa: 0, sb: 0, so: 0, ptr: pointers, flt: floats };
  runJob(own, memory, job, Math.ceil(n / MAP_BLOCK), n >= SPLIT_MIN_FLOATS, 0);
}

/**
 * Attention forward (or `backward`) over `entries` (batch, head) entries, shared with the ready helpers of
 * `memory` when big enough: each thread runs whole entries, packing into its own scratch, `scratchBytes` apart
 * from `scratch` (one region per thread the call may use: `ownGemmThreadsOn(memory)`). Entries write disjoint
 * outputs, each computed by the same instructions wherever it runs: the result is the one-thread result, bit for
 * bit.
 */
export function attentionSplit(
  own: JobKernels,
  memory: object | undefined,
  a: AttentionJob,
  entries: number,
  backward: boolean,
  scratch: number,
  scratchBytes: number,
): void {
  const job: JobArgs = {
    kind: backward ? Job.AttentionGrad : Job.Attention,
    m: a.seqLen,
    k: a.headDim,
    n: a.heads,
    sa: a.causal ? 1 : 0,
    sb: 0,
    so: 0,
    ptr: [a.qkv, a.keep, a.probs, a.out, a.dy],
    flt: [a.scale],
    tileBytes: scratchBytes,
  };
  const macs = entries * 2 * a.seqLen * a.seqLen * a.headDim;
  runJob(own, memory, job, entries, macs >= SPLIT_MIN_MACS, scratch);
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
 * posted job until the thread is terminated. Never returns. `hangOnJob` (tests) takes the first job and never
 * answers.
 */
export function serveOwnGemm(init: OwnGemmHelperInit, hangOnJob = false): void {
  const api = Reflect.get(globalThis, 'WebAssembly') as InstanceApi;
  const { exports } = new api.Instance(init.module, { env: { memory: init.memory } });
  const own = exports as unknown as JobKernels;
  const c = new Int32Array(init.control);
  const at = HEADER + init.slot * SLOT;
  Atomics.store(c, at + READY, 1);
  for (;;) {
    let state = Atomics.load(c, at + STATE);
    for (let spin = 0; state !== POSTED && spin < SPIN; spin++) state = Atomics.load(c, at + STATE);
    if (state !== POSTED) {
      Atomics.wait(c, at + STATE, state); // IDLE or DONE: sleep until the training thread posts
      Atomics.add(c, at + WOKE, 1);
      continue;
    }
    if (Atomics.compareExchange(c, at + STATE, POSTED, RUNNING) !== POSTED) continue; // taken back: all done
    if (hangOnJob) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // tests: a helper stuck in a job
    claimUnits(c, readJob(c), own, c[at + TILE], true);
    Atomics.store(c, at + STATE, DONE);
    Atomics.notify(c, at + STATE);
  }
}
