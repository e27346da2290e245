import type { WasmBackend } from './backend-access';
import { OWN_KERNELS_PLAIN, OWN_KERNELS_SHARED } from './wasm/own-kernels.generated';

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
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => {
    exports: Record<string, unknown>;
  };
}

function wasmApi(): WasmApi | undefined {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  return typeof api === 'object' && api !== null ? (api as WasmApi) : undefined; // every JS engine we run on has it
}

const instances = new WeakMap<WasmMemory, OwnWasmKernels | null>();
let enabled = true;

/** Tests turn the kernels off to check the JS loops they replace; on by default. */
export function setOwnWasmEnabled(on: boolean): void {
  enabled = on;
}

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const decode = Reflect.get(globalThis, 'atob') as (data: string) => string; // Node ≥ 16 and every browser
  const text = decode(base64);
  const out = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function instantiate(api: WasmApi, memory: WasmMemory): OwnWasmKernels | null {
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new api.Module(bytes(shared ? OWN_KERNELS_SHARED : OWN_KERNELS_PLAIN));
    const { exports } = new api.Instance(module, { env: { memory } });
    const names = ['sumsq', 'nonzero_exceeds', 'sparse_matmul', 'gelu4', 'gelu_grad4', 'adamw'] as const;
    if (names.some((name) => typeof exports[name] !== 'function')) return null;
    return exports as unknown as OwnWasmKernels; // each export checked to be a function just above
  } catch {
    return null; // no SIMD, or a memory we may not import: the JS loops run instead
  }
}

/** The kernels on `backend`'s heap, or undefined where they cannot run (or are turned off). */
export function ownWasmKernels(backend: WasmBackend): OwnWasmKernels | undefined {
  const api = wasmApi();
  if (!enabled || api === undefined) return undefined;
  // The single-threaded builds export their memory (asm.memory); the threaded one creates it in JS and keeps it
  // as Module.wasmMemory.
  const asm: unknown = Reflect.get(backend.wasm, 'asm');
  const exported: unknown = typeof asm === 'object' && asm !== null ? Reflect.get(asm, 'memory') : undefined;
  const memory: unknown = exported instanceof api.Memory ? exported : Reflect.get(backend.wasm, 'wasmMemory');
  if (!(memory instanceof api.Memory)) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(api, memory);
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}
