import * as tf from '@tensorflow/tfjs';
import {
  isWasmBackend,
  makeView,
  releaseView,
  shapeBytes,
  wasmRecord,
  type WasmBackend,
  type WasmCFunction,
} from './backend-access';
import { markDirect } from './direct-matmul';
import { boolAttr, kernelInput, sizeOf, type KernelArgs } from './kernel-args';
import { batchIndices, ownProduct, productDims } from './own-gemm';
import { ownWasmKernels, type OwnWasmKernels } from './own-wasm';

/**
 * BatchMatMul for tfjs-backend-wasm that keeps every product on XNNPACK.
 * The stock C++ kernel (batch_mat_mul_impl.cc, tfjs 4.22) calls XNNPACK's fully-connected operator only when
 * neither transpose flag is set and both operands have batch 1; anything else runs a scalar triple loop
 * 10–20× slower. Every backward pass sets a flag, and attention scores are batched, so we:
 *   1. transpose flagged operands explicitly with the wasm Transpose kernel (memory-bound, cheap);
 *   2. fold the batch into the rows when `b` has batch 1: (…, M, K)·(K, N) is one (…·M, K)·(K, N) product;
 *   3. otherwise run one XNNPACK product per batch entry on zero-copy views of a, b and the output,
 *      calling the module's exported C BatchMatMul directly (measured 5–6× faster than the stock loop
 *      for (48, 64, 32)·(48, 32, 64) on 2 cores; copying slices through kernels instead was 6× slower than stock);
 *   4. but leave tiny entries (M·K·N < SMALL_ENTRY) to the stock loop, where per-entry setup would dominate;
 *   5. run a mostly-zero `a` (a bag of words, a one-hot: at most 1/16 nonzero) through our sparse-row SIMD kernel
 *      (own-kernels.wat), whose work is nnz(a)·N: BoW's (64, 5009)·(5009, 128) and its weight gradient;
 *   6. run every other product of at least 4 rows on our own GEMM (own-gemm.ts), which reads transposed operands
 *      through strides, loops a batch itself and splits big products over helper threads where the host started
 *      some (own-gemm-threads.ts); steps 1–4 remain for where our kernels cannot start. _FusedMatMul (dense
 *      layers' forward, with bias) too.
 */

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

const cFunctions = new WeakMap<WasmBackend, WasmCFunction>();

/** The exported C BatchMatMul of this backend instance, wrapped once. */
function cBatchMatMul(backend: WasmBackend): WasmCFunction {
  let fn = cFunctions.get(backend);
  if (fn === undefined) {
    // a_id, a_shape, a_rank, b_id, b_shape, b_rank, transpose_a, transpose_b, out_id (as the stock kernel wraps it)
    fn = backend.wasm.cwrap('BatchMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
    ]);
    cFunctions.set(backend, fn);
  }
  return fn;
}

/** The exported C _FusedMatMul of this backend instance, wrapped once. */
const fusedFunctions = new WeakMap<WasmBackend, WasmCFunction>();
function cFusedMatMul(backend: WasmBackend): WasmCFunction {
  let fn = fusedFunctions.get(backend);
  if (fn === undefined) {
    // a_id, a_shape, a_rank, b_id, b_shape, b_rank, transpose_a, transpose_b, activation, bias_id, prelu_id,
    // leakyrelu_alpha, out_id (as the stock kernel wraps it)
    const argTypes = ['number', 'array', 'number', 'number', 'array', 'number'];
    fn = backend.wasm.cwrap('_FusedMatMul', null, [...argTypes, ...Array<string>(7).fill('number')]);
    fusedFunctions.set(backend, fn);
  }
  return fn;
}

function single(result: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(result)) throw new Error(`Expected one tensor from a kernel, got ${result.length}.`);
  return result;
}

/** out[i] = a[ia(i)] · b[ib(i)], one XNNPACK call per output batch entry, on views (no copies). */
function batchedOnViews(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, outOuter: number[]): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const out = backend.makeOutput([...outOuter, m, n], 'float32'); // (…, M, N)
  const fn = cBatchMatMul(backend);
  const aIndex = batchIndices(outOuter, a.shape.slice(0, -2));
  const bIndex = batchIndices(outOuter, b.shape.slice(0, -2));
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  const aViews = new Map<number, tf.TensorInfo>();
  const bViews = new Map<number, tf.TensorInfo>(); // kept per entry: XNNPACK caches packed weights on b's id
  const viewOf = (cache: Map<number, tf.TensorInfo>, base: tf.TensorInfo, entry: number, shape: number[]): number => {
    let view = cache.get(entry);
    if (view === undefined) {
      view = makeView(backend, base, entry * sizeOf(shape), shape);
      cache.set(entry, view);
    }
    return wasmRecord(backend, view).id;
  };
  try {
    for (let i = 0; i < aIndex.length; i++) {
      const outView = makeView(backend, out, i * m * n, [1, m, n]);
      const aId = viewOf(aViews, a, aIndex[i], [1, m, k]);
      const bId = viewOf(bViews, b, bIndex[i], [1, k, n]);
      fn(aId, aShape, 3, bId, bShape, 3, 0, 0, wasmRecord(backend, outView).id);
      releaseView(backend, outView);
    }
  } finally {
    for (const view of [...aViews.values(), ...bViews.values()]) releaseView(backend, view);
  }
  return out;
}

/** a (…, M, K) · b (…, K, N) without flags, on the fastest route for the batch shapes. */
function multiply(backend: WasmBackend, original: KernelCall, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  if (sizeOf(outerB) === 1) {
    // (…, M, K)·(K, N): the batch of a folds into XNNPACK's rows. Same dataIds, new shapes: no copy.
    const rows = { dataId: a.dataId, shape: [sizeOf(outerA) * m, k], dtype: a.dtype }; // (…, M, K) -> (…·M, K)
    const weights = { dataId: b.dataId, shape: [k, n], dtype: b.dtype }; // (1…, K, N) -> (K, N)
    const out = single(
      original({ inputs: { a: rows, b: weights }, backend, attrs: { transposeA: false, transposeB: false } }),
    );
    return { ...out, shape: [...outOuter, m, n] }; // (…·M, N) -> (…, M, N)
  }
  return batchedOnViews(backend, a, b, outOuter);
}

/**
 * Below this many multiply-adds per batch entry (M·K·N), creating an XNNPACK operator per entry (~3–6 µs) costs
 * more than the stock loop: measured crossover near 16³ on 2 cores ((512, 1, 16)·(512, 16, 32) ran 9× slower).
 */
const SMALL_ENTRY = 4096;

/** Which route a product takes: the stock kernel as is, or ours. */
function route(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): 'stock' | 'ours' {
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  if (batchB === 1) return transposeA || transposeB || batchA > 1 ? 'ours' : 'stock'; // stock is XNNPACK only without both
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  // The stock kernel flattens batches to one axis, so it is right only when one side's batch is 1 or both are equal.
  const outBatch = sizeOf(tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)));
  const stockBroadcasts = outBatch === Math.max(batchA, batchB) && (batchA === 1 || batchA === batchB);
  return m * k * n < SMALL_ENTRY && stockBroadcasts ? 'stock' : 'ours';
}

/** Products smaller than this (M·K·N) never take the sparse route: the scan would cost more than it saves. */
const SPARSE_MIN_MACS = 1 << 16;

/**
 * True when b has batch 1 (so a's batch folds into rows), the product is big enough, and at most 1/16 of a's
 * values are nonzero (a dense a is told apart after scanning ~1/16 of it).
 */
function mostlyZeros(
  backend: WasmBackend,
  own: OwnWasmKernels,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): boolean {
  if (sizeOf(b.shape.slice(0, -2)) !== 1) return false;
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  const size = sizeOf(a.shape);
  if ((size / k) * k * n < SPARSE_MIN_MACS || m === 0) return false;
  return own.nonzero_exceeds(wasmRecord(backend, a).memoryOffset, size, Math.floor(size / 16)) === 0;
}

let sparseProducts = 0;

/** How many products took the sparse kernel since the process started (tests check the route). */
export const sparseProductsRun = (): number => sparseProducts;

/** a (…, M, K) · b (1…, K, N), a mostly zeros, through the sparse-row kernel: (…·M, K)·(K, N) in one call. */
function sparseProduct(backend: WasmBackend, own: OwnWasmKernels, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  own.sparse_matmul(at(a), at(b), at(out), sizeOf(a.shape) / k, k, n);
  sparseProducts += 1;
  return out;
}

/**
 * Whether a product goes to our GEMM: at least 4 rows in a packed block (fewer would waste most of the 4×8
 * kernel's work; XNNPACK keeps those).
 */
function onOwnGemm(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const [m, k] = productDims(a, b, transposeA, transposeB);
  const foldable = sizeOf(b.shape.slice(0, -2)) === 1 && !transposeA;
  const rows = foldable ? sizeOf(a.shape.slice(0, -2)) * m : m;
  return rows >= 4 && k >= 1;
}

/** Wraps the stock wasm BatchMatMul (`original`) and the wasm Transpose kernel into the faster kernel function. */
export function makeWasmBatchMatMul(original: KernelCall, transpose: KernelCall): KernelCall {
  return (args) => {
    const a = kernelInput(args, 'a');
    const b = kernelInput(args, 'b');
    const { backend } = args;
    const transposeA = boolAttr(args, 'transposeA');
    const transposeB = boolAttr(args, 'transposeB');
    const innerA = a.shape[a.shape.length - (transposeA ? 2 : 1)];
    const innerB = b.shape[b.shape.length - (transposeB ? 1 : 2)];
    const plain = a.dtype === 'float32' && b.dtype === 'float32' && a.shape.length >= 2 && b.shape.length >= 2;
    // Anything unusual (other dtypes, empty tensors, mismatched shapes) keeps the stock path and its errors.
    if (!isWasmBackend(backend) || !plain || innerA !== innerB || sizeOf(a.shape) === 0 || sizeOf(b.shape) === 0)
      return original(args);
    const own = ownWasmKernels(backend);
    const sparse = own !== undefined && mostlyZeros(backend, own, a, b, transposeA, transposeB);
    if (!sparse && own && onOwnGemm(a, b, transposeA, transposeB))
      return ownProduct(backend, own, a, b, { transposeA, transposeB });
    if (!sparse && route(a, b, transposeA, transposeB) === 'stock') return original(args);
    const temporaries: tf.TensorInfo[] = [];
    const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
      const perm = x.shape.map((_, axis) => axis);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      const swapped = single(transpose({ inputs: { x }, backend, attrs: { perm } })); // (…, R, C) -> (…, C, R)
      temporaries.push(swapped);
      return swapped;
    };
    try {
      const [left, right] = [transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b];
      if (sparse && own) return sparseProduct(backend, own, left, right);
      return multiply(backend, original, left, right);
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Wraps the stock wasm _FusedMatMul (`original`) for products without transposes whose b has batch 1, with a linear
 * activation and a bias of length N or none: on our GEMM where it runs (bias added in its accumulators); else a's
 * batch folds into XNNPACK's rows (the stock kernel sends a batched a
 * to its scalar loop, which also reads a 1-D bias wrongly past the first row: tf.fused.matMul of a (3, 129, 96) by
 * (96, 130) with bias was off by ~0.1 of its scale). Everything else runs the stock kernel unchanged.
 */
export function makeWasmFusedMatMul(original: KernelCall): KernelCall {
  const kernel: KernelCall = (args) => {
    const { backend } = args;
    const a = kernelInput(args, 'a');
    const b = kernelInput(args, 'b');
    const bias = args.inputs['bias'];
    const k = a.shape[a.shape.length - 1];
    const n = b.shape[b.shape.length - 1];
    const ours =
      args.inputs['preluActivationWeights'] == null &&
      !boolAttr(args, 'transposeA') &&
      !boolAttr(args, 'transposeB') &&
      (args.attrs?.['activation'] ?? 'linear') === 'linear' &&
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      a.shape.length >= 2 &&
      b.shape.length >= 2 &&
      sizeOf(a.shape) > 0 &&
      sizeOf(b.shape) > 0 &&
      sizeOf(b.shape.slice(0, -2)) === 1 &&
      b.shape[b.shape.length - 2] === k &&
      (bias == null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === n));
    // The stock kernel is right (and on XNNPACK) for rank-3 operands of batch 1, the form tf.fused.matMul sends;
    // layers also call this kernel directly with (…, M, K)·(K, N) (direct-matmul.ts), which only we take.
    const stockForm = a.shape.length === 3 && b.shape.length === 3 && a.shape[0] === 1;
    if (!ours || !isWasmBackend(backend)) return original(args);
    const own = ownWasmKernels(backend);
    if (own && onOwnGemm(a, b, false, false))
      return ownProduct(backend, own, a, b, { transposeA: false, transposeB: false, bias: bias ?? undefined });
    if (stockForm) return original(args);
    const rows = sizeOf(a.shape) / k;
    const fn = cFusedMatMul(backend);
    const bId = wasmRecord(backend, b).id;
    const biasId = bias == null ? 0 : wasmRecord(backend, bias).id;
    const bShape = shapeBytes([1, k, n]);
    const out = backend.makeOutput([rows, n], 'float32');
    fn(
      wasmRecord(backend, a).id,
      shapeBytes([1, rows, k]),
      3,
      bId,
      bShape,
      3,
      0,
      0,
      0,
      biasId,
      0,
      0,
      wasmRecord(backend, out).id,
    );
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return { ...out, shape: [...outer, a.shape[a.shape.length - 2], n] };
  };
  markDirect(kernel);
  return kernel;
}
