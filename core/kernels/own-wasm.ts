import { isWasmBackend, type WasmBackend } from './backend-access';
import {
  OWN_KERNELS_PLAIN,
  OWN_KERNELS_PLAIN_SIMD,
  OWN_KERNELS_SHARED,
  OWN_KERNELS_SHARED_SIMD,
} from './wasm/own-kernels.generated';
import { ownGemmThreadsOn, readyOwnGemmHelpers, startOwnGemmThreads, type OwnGemmSpawn } from './own-gemm-threads';

/**
 * Wordloom's own SIMD kernels (wasm/own-kernels.wat), instantiated on tfjs-backend-wasm's own memory, so they
 * read and write tensors in place: every pointer is a tensor's byte offset in that heap. One instance per heap.
 * Where they cannot start (a tf.js build that hides its memory, an engine without SIMD), callers keep their
 * JS loops, which compute the same thing.
 */
export interface OwnWasmKernels {
  /** Σ x² over n float32 at byte offset p, in float64. */
  sumsq(p: number, n: number): number;
  /** 1 when more than `limit` of n float32 at byte offset p are nonzero (stops counting once they are), else 0. */
  nonzero_exceeds(p: number, n: number, limit: number): number;
  /** out (m, n) = a (m, k) · b (k, n) for a mostly-zero a: work nnz(a)·n. out must not alias a or b. */
  sparse_matmul(a: number, b: number, out: number, m: number, k: number, n: number): void;
  /** y = x·Φ(x) over n float32 (n a multiple of 4). */
  gelu4(x: number, y: number, n: number): void;
  /** dx = dy·(Φ(x) + x·φ(x)) over n float32 (n a multiple of 4). */
  gelu_grad4(dy: number, x: number, dx: number, n: number): void;
  /** LayerNorm over the last axis of x (rows, dim): y, x̂ (rows, dim) and rstd (rows); see the .wat. */
  layer_norm(
    x: number,
    g: number,
    b: number,
    y: number,
    xhat: number,
    rstd: number,
    rows: number,
    dim: number,
    eps: number,
  ): void;
  /** LayerNorm's gradient: dx (rows, dim), dγ and dβ (dim); see the .wat. */
  layer_norm_grad(
    dy: number,
    xhat: number,
    rstd: number,
    g: number,
    dx: number,
    dg: number,
    db: number,
    rows: number,
    dim: number,
  ): void;
  /** out (cols) = Σ over rows of x (rows, cols); out must not alias x. */
  sum_rows(x: number, out: number, rows: number, cols: number): void;
  /**
   * Packs a (m, k), a[i, kk] at a + 4·(i·sar + kk·sak), into blocks of 4 rows for gemm4x8: ceil(m/4)·k·4 floats
   * at ap, zero-padded.
   */
  pack_a4(a: number, ap: number, m: number, k: number, sar: number, sak: number): void;
  /** Packs b (k, n), b[kk, j] at b + 4·(kk·sbk + j·sbn), into panels of 8 columns: ceil(n/8)·k·8 floats at bp. */
  pack_b8(b: number, bp: number, k: number, n: number, sbk: number, sbn: number): void;
  /**
   * out (m, n), row-major, = packed a · packed b (+ bias: ceil(n/8)·8 zero-padded floats, or 0 for none), k ≥ 1;
   * tile: 32 floats of scratch. out must not alias the packed operands.
   */
  gemm4x8(ap: number, bp: number, bias: number, out: number, m: number, k: number, n: number, tile: number): void;
  /**
   * gemm4x8 with output rows `ldc` floats apart and, for attention's square causal products, `mode`: 0 the whole
   * product; 1 only the blocks on or below the diagonal; 2 a lower triangular; 3 a upper triangular (see the .wat).
   */
  gemm4x8_ex(
    ap: number,
    bp: number,
    bias: number,
    out: number,
    m: number,
    k: number,
    n: number,
    tile: number,
    ldc: number,
    mode: number,
  ): void;
  /** One attention entry's masked softmax, s (t, t) with rows `ls` apart (overwritten) into p (t, t); see the .wat. */
  attn_softmax(s: number, ls: number, p: number, keep: number, t: number, scale: number, causal: number): void;
  /** The softmax's backward for one entry, dp (t, t) with rows `ld` apart becoming ds in place; see the .wat. */
  attn_softmax_grad(dp: number, ld: number, p: number, t: number, scale: number, causal: number): void;
  /** One masked LSTM step's gates, tanh(c'), c_next and h_next (units a multiple of 4; see the .wat). */
  lstm_cell(
    x: number,
    hu: number,
    c: number,
    h: number,
    m: number,
    gates: number,
    tc: number,
    c2: number,
    h2: number,
    rows: number,
    units: number,
  ): void;
  /** lstm_cell's backward: dA, dcPrev and dhCarry (units a multiple of 4; see the .wat). */
  lstm_cell_grad(
    dy: number,
    dhCarry: number,
    dhMat: number,
    dc: number,
    m: number,
    gates: number,
    tc: number,
    c: number,
    dA: number,
    dcPrev: number,
    dhPrev: number,
    rows: number,
    units: number,
  ): void;
  /** One masked GRU step's z, r (into gates) and r·h, before the product (r·h)·U_h (see the .wat). */
  gru_gates(x: number, hu: number, h: number, gates: number, rh: number, rows: number, units: number): void;
  /** One masked GRU step's candidate (into gates) and h_next, after that product (see the .wat). */
  gru_out(x: number, hh: number, h: number, m: number, gates: number, h2: number, rows: number, units: number): void;
  /** The GRU step's backward before d(r·h) = dA_h·U_hᵀ: dA_z, dA_h, dhPrev (partial) and r·h (see the .wat). */
  gru_grad_a(
    dy: number,
    dhCarry: number,
    dhMat: number,
    m: number,
    gates: number,
    h: number,
    dA: number,
    dhPrev: number,
    rh: number,
    rows: number,
    units: number,
  ): void;
  /** …and after it: dA_r, and d(r·h)·r added to dhPrev (see the .wat). */
  gru_grad_b(drh: number, gates: number, h: number, dA: number, dhPrev: number, rows: number, units: number): void;
  /** One masked simple-RNN step: act = tanh(x + hu) and h_next (see the .wat). */
  rnn_cell(x: number, hu: number, h: number, m: number, act: number, h2: number, rows: number, units: number): void;
  /** rnn_cell's backward: dA and dhPrev without dA·Uᵀ (see the .wat). */
  rnn_cell_grad(
    dy: number,
    dhCarry: number,
    dhMat: number,
    m: number,
    act: number,
    dA: number,
    dhPrev: number,
    rows: number,
    units: number,
  ): void;
  /** Each row's maximum: out[r] = max_j x[r, j] over x (rows, k). */
  row_max(x: number, out: number, rows: number, k: number): void;
  /** scale[r]·e^(x[r, j] − shift[r]) for j < k − k mod 4 into out and its row sums into sums (see the .wat). */
  row_exp(x: number, shift: number, scale: number, out: number, sums: number, rows: number, k: number): void;
  /** One AdamW step over n parameters (see the .wat for the formula); outputs must not alias inputs. */
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    p2: number,
    m2: number,
    v2: number,
    n: number,
    beta1: number,
    beta2: number,
    c1: number,
    c2: number,
    step: number,
    invBias2: number,
    epsilon: number,
    keep: number,
  ): void;
}

/** The part of the WebAssembly JS API used here, read off globalThis: core/ compiles without DOM typings. */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => {
    exports: Record<string, unknown>;
  };
}

function wasmApi(): WasmApi | undefined {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  return typeof api === 'object' && api !== null ? (api as WasmApi) : undefined; // every JS engine we run on has it
}

/** Which build of the kernels runs: with relaxed SIMD (fused multiply-adds) or with plain SIMD128 only. */
export type OwnWasmFlavour = 'relaxed' | 'simd';

interface Loaded {
  kernels: OwnWasmKernels;
  flavour: OwnWasmFlavour;
  /** The heap they run on, and their compiled module (what a helper thread instantiates on the same heap). */
  memory: WasmMemory;
  module: object;
}

const instances = new WeakMap<WasmMemory, Map<boolean, Loaded | null>>();
let enabled = true;
let relaxedAllowed = true;
let gemmThreads: { spawn: OwnGemmSpawn; threads: number } | undefined;
/** The newest shared heap our kernels run on (the one helper threads serve). */
let sharedHeap: { memory: WasmMemory; module: object } | undefined;

/**
 * Where the heap is shared (tf.js' threaded build), splits our GEMM's big products over `threads` threads: the
 * training thread and `threads − 1` helpers started with `spawn` (own-gemm-threads.ts). Called again with
 * another count, it resizes the pool of the heap in use. The app's training worker calls it; without it every
 * product runs on the training thread.
 */
export function setOwnGemmThreads(spawn: OwnGemmSpawn, threads: number): void {
  gemmThreads = { spawn, threads };
  if (sharedHeap) startHelpers(sharedHeap.memory, sharedHeap.module);
}

function startHelpers(memory: WasmMemory, module: object): void {
  if (!gemmThreads) return;
  try {
    startOwnGemmThreads(memory, module, gemmThreads.threads, gemmThreads.spawn);
  } catch {
    // no helpers: every product runs on this thread
  }
}

/** Threads our GEMM runs on (1 + helpers started) for the shared heap in use; undefined before one is met. */
export function ownGemmThreads(): number | undefined {
  return sharedHeap ? ownGemmThreadsOn(sharedHeap.memory) : undefined;
}

/** Resolves once every helper of the heap in use has its kernels (true), or after `timeoutMs` (false). */
export async function ownGemmReady(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const heap = sharedHeap;
    if (!heap || readyOwnGemmHelpers(heap.memory) === ownGemmThreadsOn(heap.memory) - 1) return true;
    if (Date.now() >= deadline) return false;
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 10));
  }
}

/** Tests turn the kernels off to check the JS loops they replace; on by default. */
export function setOwnWasmEnabled(on: boolean): void {
  enabled = on;
}

/** Tests turn relaxed SIMD off to run the plain SIMD128 build where the engine has both; on by default. */
export function setOwnWasmRelaxed(on: boolean): void {
  relaxedAllowed = on;
}

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const decode = Reflect.get(globalThis, 'atob') as (data: string) => string; // Node ≥ 16 and every browser
  const text = decode(base64);
  const out = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

const EXPORTS = [
  'sumsq',
  'nonzero_exceeds',
  'sparse_matmul',
  'gelu4',
  'gelu_grad4',
  'layer_norm',
  'layer_norm_grad',
  'sum_rows',
  'pack_a4',
  'pack_b8',
  'gemm4x8',
  'gemm4x8_ex',
  'attn_softmax',
  'attn_softmax_grad',
  'adamw',
  'lstm_cell',
  'lstm_cell_grad',
  'gru_gates',
  'gru_out',
  'gru_grad_a',
  'gru_grad_b',
  'rnn_cell',
  'rnn_cell_grad',
  'row_max',
  'row_exp',
] as const;

function instantiateOne(
  api: WasmApi,
  memory: WasmMemory,
  base64: string,
): { kernels: OwnWasmKernels; module: object } | null {
  try {
    const module = new api.Module(bytes(base64));
    const { exports } = new api.Instance(module, { env: { memory } });
    if (EXPORTS.some((name) => typeof exports[name] !== 'function')) return null;
    return { kernels: exports as unknown as OwnWasmKernels, module }; // each export checked to be a function above
  } catch {
    return null; // no (relaxed) SIMD, or a memory we may not import
  }
}

/** The relaxed-SIMD build where the engine validates it (and `relaxed`), else the SIMD128 one, else null. */
function instantiate(api: WasmApi, memory: WasmMemory, relaxed: boolean): Loaded | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const fused = relaxed ? instantiateOne(api, memory, shared ? OWN_KERNELS_SHARED : OWN_KERNELS_PLAIN) : null;
  const one = fused ?? instantiateOne(api, memory, shared ? OWN_KERNELS_SHARED_SIMD : OWN_KERNELS_PLAIN_SIMD);
  if (!one) return null; // the JS loops run instead
  if (shared) {
    sharedHeap = { memory, module: one.module };
    startHelpers(memory, one.module);
  }
  return { ...one, flavour: fused ? 'relaxed' : 'simd', memory };
}

/** The kernels on `backend`'s heap, or undefined where they cannot run (or are turned off). */
export function ownWasmKernels(backend: WasmBackend): OwnWasmKernels | undefined {
  return loaded(backend)?.kernels;
}

/** The heap our kernels run on for `backend` (a WebAssembly.Memory), or undefined where they cannot run. */
export function ownWasmHeap(backend: WasmBackend): object | undefined {
  return loaded(backend)?.memory;
}

/** Which build runs on `backend`'s heap ('relaxed' or 'simd'), or undefined where none can. */
export function ownWasmFlavour(backend: WasmBackend): OwnWasmFlavour | undefined {
  return loaded(backend)?.flavour;
}

function loaded(backend: WasmBackend): Loaded | undefined {
  const api = wasmApi();
  if (!enabled || api === undefined) return undefined;
  // The single-threaded builds export their memory (asm.memory); the threaded one creates it in JS and keeps it
  // as Module.wasmMemory.
  const asm: unknown = Reflect.get(backend.wasm, 'asm');
  const exported: unknown = typeof asm === 'object' && asm !== null ? Reflect.get(asm, 'memory') : undefined;
  const memory: unknown = exported instanceof api.Memory ? exported : Reflect.get(backend.wasm, 'wasmMemory');
  if (!(memory instanceof api.Memory)) return undefined;
  let byFlavour = instances.get(memory);
  if (byFlavour === undefined) {
    byFlavour = new Map();
    instances.set(memory, byFlavour);
  }
  let kernels = byFlavour.get(relaxedAllowed);
  if (kernels === undefined) {
    kernels = instantiate(api, memory, relaxedAllowed);
    byFlavour.set(relaxedAllowed, kernels);
  }
  return kernels ?? undefined;
}

/** The wasm backend a kernel of ours was called on and our kernels on its heap; else one sentence naming it. */
export function ownKernelsOf(backend: unknown, kernel: string): { backend: WasmBackend; own: OwnWasmKernels } {
  const own = isWasmBackend(backend) ? ownWasmKernels(backend) : undefined;
  if (!isWasmBackend(backend) || own === undefined) throw new Error(`${kernel} needs the wasm backend's own kernels.`);
  return { backend, own };
}
