import * as tf from '@tensorflow/tfjs';
import { wasmRecord, type WasmBackend } from './backend-access';
import { sizeOf } from './kernel-args';
import {
  gemmSplit,
  gemmSplitColumns,
  gemmSplitEntries,
  MAX_GEMM_THREADS,
  readyOwnGemmHelpers,
  SPLIT_MIN_MACS,
} from './own-gemm-threads';
import { ownWasmHeap, type OwnWasmKernels } from './own-wasm';

/**
 * Dense float32 products on our own wasm GEMM (own-kernels.wat: pack_a4, pack_b8, gemm4x8), in place on
 * tfjs-backend-wasm's heap. Against the stock route it wins three ways, measured on the Mini GPT step:
 *   - transposed operands are read through strides while packing, so no Transpose kernel runs first;
 *   - a batch of small products (attention's 48 entries of 64×64·64×32) is one loop here, where XNNPACK creates
 *     and tears down an operator per entry;
 *   - its 4×8 kernel does one fused multiply-add per accumulator per step where the engine has relaxed SIMD,
 *     where XNNPACK's wasm build multiplies then adds;
 *   - with helper threads, a batch of products each too small to split is packed whole first, then its
 *     entries' panels are shared out as one job.
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

/**
 * Products of at most this many rows are shared by columns: split by rows, each thread would stream all of b for
 * a few rows of a (the LSTM LM's step, (32, 256)·(256, 1024), reads a 1 MiB packed weight for 32 rows).
 */
const FEW_ROWS = 64;

/** The most floats a batch's packed copies may take to be packed whole (16 MiB); a bigger batch goes entry by entry. */
const PACK_ALL_FLOATS = 1 << 22;

/**
 * The last b packed whole for a product whose entries all share it, kept while that same tensor comes back:
 * a recurrence multiplies by one weight at every time step (the LSTM LM's U, 256×1024, 64 times forward and 64
 * backward), and packing it took a fifth of each of those products. tf.js never writes into a tensor's data
 * once made (a variable's update is a new dataId; a reshape shares the data, so k and n are part of the key),
 * so a dataId's packed copy stays right while it is kept; it is freed when another b takes its place.
 */
interface PackedB {
  backend: WasmBackend;
  dataId: object;
  transposeB: boolean;
  k: number;
  n: number;
  copy: tf.TensorInfo;
}
let lastPackedB: PackedB | undefined;

/** How many products reused the kept packed b since the process started (tests check the route). */
let packedBReuses = 0;
export const ownPackedBReuses = (): number => packedBReuses;

/** The packed copy of b (k, n) for this product: the kept one when b is the tensor packed last, else packed now. */
function packedB(
  backend: WasmBackend,
  own: OwnWasmKernels,
  b: tf.TensorInfo,
  transposeB: boolean,
  k: number,
  n: number,
): number {
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  const kept = lastPackedB;
  if (
    kept?.backend === backend &&
    kept.dataId === b.dataId &&
    kept.transposeB === transposeB &&
    kept.k === k &&
    kept.n === n
  ) {
    packedBReuses += 1;
    return roundUp(at(kept.copy), 64);
  }
  // A copy on another backend (one since disposed, in tests) is only forgotten: its heap is not this one.
  if (kept?.backend === backend) backend.disposeData(kept.copy.dataId);
  lastPackedB = undefined;
  const copy = backend.makeOutput([roundUp(n, 8) * k + 16], 'float32');
  const [sbk, sbn] = transposeB ? [1, k] : [n, 1];
  const bp = roundUp(at(copy), 64);
  own.pack_b8(at(b), bp, k, n, sbk, sbn);
  lastPackedB = { backend, dataId: b.dataId, transposeB, k, n, copy };
  return bp;
}

/** Frees the kept packed b (tests count the buffers a product leaves). */
export function dropPackedB(): void {
  lastPackedB?.backend.disposeData(lastPackedB.copy.dataId);
  lastPackedB = undefined;
}

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
  const heap = ownWasmHeap(backend);
  const [copiesA, copiesB] = [sizeOf(outerA), sizeOf(outerB)];
  // Each entry too small to split but the batch big enough, each operand one per entry or one for all (so an
  // entry's packed copy is a fixed stride away), and helpers to share it: every entry packed first, one job.
  const whole =
    entries > 1 &&
    rows * k * n < SPLIT_MIN_MACS &&
    entries * rows * k * n >= SPLIT_MIN_MACS &&
    [copiesA, copiesB].every((c) => c === 1 || c === entries) &&
    copiesA * aFloats + copiesB * bFloats <= PACK_ALL_FLOATS &&
    heap !== undefined &&
    readyOwnGemmHelpers(heap) > 0;
  const [slotsA, slotsB] = whole ? [copiesA, copiesB] : [1, 1];
  // One b for every entry, packed once: kept across calls (packedB) instead of in this call's scratch.
  const keepB = !whole && copiesB === 1;
  // …and a 32-float tile for each thread a product may be split over.
  const scratch = backend.makeOutput(
    [slotsA * aFloats + (keepB ? 0 : slotsB * bFloats) + n8 + 32 * MAX_GEMM_THREADS],
    'float32',
  );
  try {
    const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const ap = at(scratch);
    const rest = ap + 4 * slotsA * aFloats; // then this call's packed b (unless kept), the bias, the tiles
    const ownB = keepB ? 0 : 4 * slotsB * bFloats;
    const biasPacked = bias === undefined ? 0 : rest + ownB;
    const tile = rest + ownB + 4 * n8;
    if (bias !== undefined) own.pack_b8(at(bias), biasPacked, 1, n, 0, 1); // (1, n) padded to n8
    const [aBase, bBase, outBase] = [at(a), at(b), at(out)];
    const [sar, sak] = transposeA ? [1, m] : [k, 1];
    const [sbk, sbn] = transposeB ? [1, k] : [n, 1];
    if (whole) {
      const bp = rest;
      // One a per entry: each claim packs its own panels. One a for all: packed here, once.
      const unpacked = copiesA > 1 ? { a: aBase, stride: 4 * m * k, sar, sak } : undefined;
      if (!unpacked) own.pack_a4(aBase, ap, rows, k, sar, sak);
      for (let i = 0; i < copiesB; i++) own.pack_b8(bBase + 4 * i * k * n, bp + 4 * i * bFloats, k, n, sbk, sbn);
      const [sa, sb] = [copiesA > 1 ? 4 * aFloats : 0, copiesB > 1 ? 4 * bFloats : 0];
      const so = 4 * rows * n;
      const e = { ap, bp, bias: biasPacked, out: outBase, entries, sa, sb, so, unpacked };
      gemmSplitEntries(own, heap, e, rows, k, n, tile);
    } else if (entries === 1) {
      // One product: b packed here (or kept). Few rows (a recurrence's step): a packed here, the threads share
      // b's panels. Else a packed by each claim, its own rows.
      const bp = keepB ? packedB(backend, own, b, transposeB, k, n) : rest;
      if (!keepB) own.pack_b8(bBase, bp, k, n, sbk, sbn);
      if (rows <= FEW_ROWS) {
        own.pack_a4(aBase, ap, rows, k, sar, sak);
        gemmSplitColumns(own, heap, ap, bp, biasPacked, outBase, rows, k, n, tile);
      } else gemmSplit(own, heap, ap, bp, biasPacked, outBase, rows, k, n, tile, { a: aBase, stride: 0, sar, sak });
    } else {
      const aIndex = folded ? Int32Array.of(0) : batchIndices(outOuter, outerA);
      const bIndex = folded ? Int32Array.of(0) : batchIndices(outOuter, outerB);
      const bp = keepB ? packedB(backend, own, b, transposeB, k, n) : rest;
      let inA = -1;
      let inB = keepB ? 0 : -1;
      for (let entry = 0; entry < entries; entry++) {
        if (aIndex[entry] !== inA) {
          inA = aIndex[entry];
          own.pack_a4(aBase + 4 * inA * m * k, ap, rows, k, sar, sak);
        }
        if (bIndex[entry] !== inB) {
          inB = bIndex[entry];
          own.pack_b8(bBase + 4 * inB * k * n, bp, k, n, sbk, sbn);
        }
        gemmSplit(own, heap, ap, bp, biasPacked, outBase + 4 * entry * rows * n, rows, k, n, tile);
      }
    }
  } finally {
    backend.disposeData(scratch.dataId);
  }
  products += 1;
  return out;
}
