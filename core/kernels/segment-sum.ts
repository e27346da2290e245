import type * as tf from '@tensorflow/tfjs';
import { isSyncBackend, isWasmBackend, type SyncBackend, type WasmBackend } from './backend-access';
import { intAttr, kernelInput, sizeOf, type KernelArgs } from './kernel-args';

/**
 * UnsortedSegmentSum in O(N × C). It is the gradient of tf.gather, so every Embedding needs it to train.
 * tfjs-backend-wasm has no such kernel at all, and tfjs-backend-cpu builds one masked sum per segment,
 * O(numSegments × N × C): over 100 s per step for a 10k-word vocabulary.
 *
 * Semantics are TensorFlow's: with segmentIds of shape (N…) = x.shape[0..k) and x of shape (N…, C…), out has shape
 * (numSegments, C…) and out[s] = Σ x[i] over the positions i where segmentIds[i] = s. Ids outside [0, numSegments)
 * are dropped, as tf does. The stock cpu kernel handles only 1-D ids (it throws for more) and returns float32 for
 * int32 x; here an int32 x gives an int32 result, as in TensorFlow.
 */

interface SegmentPlan {
  numSegments: number;
  outShape: number[];
  rows: number; // N… flattened
  inner: number; // C… flattened
}

type NumericArray = Float32Array | Int32Array | Uint8Array;

function planSegmentSum(x: tf.TensorInfo, ids: tf.TensorInfo, numSegments: number): SegmentPlan {
  const idRank = ids.shape.length;
  const prefix = x.shape.slice(0, idRank);
  if (idRank < 1 || prefix.length !== idRank || prefix.some((dim, i) => dim !== ids.shape[i])) {
    throw new Error(
      `unsortedSegmentSum: segmentIds shape [${ids.shape.join(', ')}] must be a prefix of x shape [${x.shape.join(', ')}].`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32')
    throw new Error(`unsortedSegmentSum supports float32 and int32 x, got ${x.dtype}.`);
  return {
    numSegments,
    outShape: [numSegments, ...x.shape.slice(idRank)], // (N…, C…) -> (numSegments, C…)
    rows: sizeOf(ids.shape),
    inner: sizeOf(x.shape.slice(idRank)),
  };
}

/** Adds each row of `x` into its segment's row of `out` (which must start at zero). */
function accumulate(plan: SegmentPlan, x: NumericArray, ids: NumericArray, out: Float32Array | Int32Array): void {
  const { numSegments, rows, inner } = plan;
  for (let i = 0; i < rows; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments || !Number.isInteger(segment)) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let c = 0; c < inner; c++) out[dst + c] += x[src + c];
  }
}

function readNumeric(backend: SyncBackend, info: tf.TensorInfo): NumericArray {
  const values = backend.readSync(info.dataId);
  if (values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array) return values;
  throw new Error(`unsortedSegmentSum cannot read ${info.dtype} data.`);
}

/** Any backend with readSync/write (cpu, and a fallback elsewhere): read, sum in JS, write one new tensor. */
function segmentSumSync(
  backend: SyncBackend,
  plan: SegmentPlan,
  x: tf.TensorInfo,
  ids: tf.TensorInfo,
  dtype: 'float32' | 'int32',
): tf.TensorInfo {
  const out = dtype === 'int32' ? new Int32Array(sizeOf(plan.outShape)) : new Float32Array(sizeOf(plan.outShape));
  accumulate(plan, readNumeric(backend, x), readNumeric(backend, ids), out);
  return { dataId: backend.write(out, plan.outShape, dtype), shape: plan.outShape, dtype };
}

/** wasm: sum straight between heap views, so neither input nor output is copied. */
function segmentSumWasm(
  backend: WasmBackend,
  plan: SegmentPlan,
  x: tf.TensorInfo,
  ids: tf.TensorInfo,
  dtype: 'float32' | 'int32',
): tf.TensorInfo {
  const outInfo = backend.makeOutput(plan.outShape, dtype);
  // Views are taken after the allocation above: growing the heap detaches earlier ones.
  const out = backend.typedArrayFromHeap(outInfo);
  if (out instanceof Uint8Array) throw new Error(`unsortedSegmentSum produced a ${dtype} output with byte storage.`);
  out.fill(0); // malloc'd memory is not zeroed
  accumulate(plan, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(ids), out);
  return outInfo;
}

/** The kernel function registered for UnsortedSegmentSum on cpu and wasm. */
export function linearSegmentSum(args: KernelArgs): tf.TensorInfo {
  const x = kernelInput(args, 'x');
  const ids = kernelInput(args, 'segmentIds');
  const plan = planSegmentSum(x, ids, intAttr(args, 'numSegments'));
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const { backend } = args;
  if (isWasmBackend(backend) && ids.dtype !== 'string' && ids.dtype !== 'complex64')
    return segmentSumWasm(backend, plan, x, ids, dtype);
  if (isSyncBackend(backend)) return segmentSumSync(backend, plan, x, ids, dtype);
  throw new Error('unsortedSegmentSum needs a backend that can read tensors synchronously.');
}
