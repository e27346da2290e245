import * as tf from '@tensorflow/tfjs';
import { wasmRecord, type WasmBackend } from './backend-access';
import { sizeOf } from './kernel-args';
import { gemmSplit, MAX_GEMM_THREADS } from './own-gemm-threads';
import { ownWasmHeap, type OwnWasmKernels } from './own-wasm';

/**
 * Dense float32 products on our own wasm GEMM (own-kernels.wat: pack_a4, pack_b8, gemm4x8), in place on
 * tfjs-backend-wasm's heap. Against the stock route it wins three ways, measured on the Mini GPT step:
 *   - transposed operands are read through strides while packing, so no Transpose kernel runs first;
 *   - a batch of small products (attention's 48 entries of 64×64·64×32) is one loop here, where XNNPACK creates
 *     and tears down an operator per entry;
 *   - its 4×8 kernel does one fused multiply-add per accumulator per step where the engine has relaxed SIMD,
 *     where XNNPACK's wasm build multiplies then adds.
 * The packed copies cost O(m·k + k·n) against the product's m·k·n.
 */

export interface ProductOptions {
  transposeA: boolean;
  transposeB: boolean;
  /** A bias of length N added to every row (the dense layers' forward), or none. */
  bias?: tf.TensorInfo;
}

/** For each output batch entry, the batch entry of an operand with outer shape `outer`, broadcast numpy-style. */
export function batchIndices(outOuter: number[], outer: number[]): Int32Array {
  const indices = new Int32Array(sizeOf(outOuter));
  const offset = outOuter.length - outer.length;
  for (let flat = 0; flat < indices.length; flat++) {
    let rest = flat;
    let index = 0;
    let stride = 1;
    for (let axis = outOuter.length - 1; axis >= offset; axis--) {
      const dim = outOuter[axis];
      const coordinate = rest % dim;
      rest = (rest - coordinate) / dim;
      const own = outer[axis - offset];
      index += (own === 1 ? 0 : coordinate) * stride;
      stride *= own;
    }
    indices[flat] = index;
  }
  return indices;
}

let products = 0;

/** How many products ran on our GEMM since the process started (tests check the route). */
export const ownProductsRun = (): number => products;

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** The (M, K, N) of a · b under the transpose flags. */
export function productDims(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): number[] {
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  return [transposeA ? ca : ra, transposeA ? ra : ca, transposeB ? rb : cb];
}

/**
 * a (…, M, K) · b (…, K, N) (either stored transposed: (…, K, M), (…, N, K)) + bias, batches broadcast, through
 * our GEMM. The caller checks float32 operands, matching inner sizes and a nonempty product.
 */
export function ownProduct(
  backend: WasmBackend,
  own: OwnWasmKernels,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  { transposeA, transposeB, bias }: ProductOptions,
): tf.TensorInfo {
  const [m, k, n] = productDims(a, b, transposeA, transposeB);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const out = backend.makeOutput([...outOuter, m, n], 'float32');
  // One entry when b has batch 1 and a is not transposed: a's batch folds into the rows, (…·M, K)·(K, N).
  const folded = sizeOf(outerB) === 1 && !transposeA;
  const rows = folded ? sizeOf(outerA) * m : m;
  const entries = folded ? 1 : sizeOf(outOuter);
  const n8 = roundUp(n, 8);
  const aFloats = roundUp(rows, 4) * k;
  const bFloats = n8 * k;
  // …and a 32-float tile for each thread a product may be split over.
  const scratch = backend.makeOutput([aFloats + bFloats + n8 + 32 * MAX_GEMM_THREADS], 'float32');
  const heap = ownWasmHeap(backend);
  try {
    const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const ap = at(scratch);
    const bp = ap + 4 * aFloats;
    const biasPacked = bias === undefined ? 0 : bp + 4 * bFloats;
    const tile = bp + 4 * (bFloats + n8);
    if (bias !== undefined) own.pack_b8(at(bias), biasPacked, 1, n, 0, 1); // (1, n) padded to n8
    const [aBase, bBase, outBase] = [at(a), at(b), at(out)];
    const aIndex = folded ? Int32Array.of(0) : batchIndices(outOuter, outerA);
    const bIndex = folded ? Int32Array.of(0) : batchIndices(outOuter, outerB);
    const [sar, sak] = transposeA ? [1, m] : [k, 1];
    const [sbk, sbn] = transposeB ? [1, k] : [n, 1];
    let packedA = -1;
    let packedB = -1;
    for (let entry = 0; entry < entries; entry++) {
      if (aIndex[entry] !== packedA) {
        packedA = aIndex[entry];
        own.pack_a4(aBase + 4 * packedA * m * k, ap, rows, k, sar, sak);
      }
      if (bIndex[entry] !== packedB) {
        packedB = bIndex[entry];
        own.pack_b8(bBase + 4 * packedB * k * n, bp, k, n, sbk, sbn);
      }
      gemmSplit(own, heap, ap, bp, biasPacked, outBase + 4 * entry * rows * n, rows, k, n, tile);
    }
  } finally {
    backend.disposeData(scratch.dataId);
  }
  products += 1;
  return out;
}
