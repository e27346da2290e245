import * as tf from '@tensorflow/tfjs';
import { ADAMW_KERNEL, adamWKernel } from './adamw';
import { ATTENTION_KERNELS } from './attention';
import { XENT_KERNELS } from './cross-entropy';
import type { OwnKernel } from './float-kernel';
import { GELU_KERNELS } from './gelu';
import { GRU_SEQUENCE_KERNELS } from './gru-sequence';
import { NORM_KERNELS } from './layer-norm';
import { LSTM_CELL_KERNELS } from './lstm-cell';
import { LSTM_SEQUENCE_KERNELS } from './lstm-sequence';
import { RNN_SEQUENCE_KERNELS } from './rnn-sequence';
import { linearSegmentSum } from './segment-sum';
import { registerTileGradient } from './tile-grad';
import { makeWasmGather } from './wasm-gather';
import { makeWasmIdentity } from './wasm-identity';
import { makeWasmBatchMatMul, makeWasmFusedMatMul } from './wasm-matmul';
import { makeWasmSlice, makeWasmSplitV, makeWasmUnpack } from './wasm-slice';
import { makeWasmSum } from './wasm-sum';
import { makeWasmTile } from './wasm-tile';
import { makeChunkedAddN } from './webgpu-addn';
import { makeWebGpuDenseBincount } from './webgpu-bincount';
import {
  FLOAT32,
  INT32,
  makeConvertingCast,
  makeIntSafe,
  makeScalarArgReduce,
  SAME_DTYPE,
  SUM_DTYPE,
  type OutDtype,
} from './webgpu-int';

/**
 * Kernels tf.js 4.22 lacks or runs slowly, registered over the stock ones per backend:
 * - UnsortedSegmentSum (the gradient of gather, hence of every Embedding) on `cpu` and `wasm`:
 *   wasm has none, and cpu's is O(numSegments × N × C).
 * - BatchMatMul and _FusedMatMul on `wasm`: on our own GEMM (own-gemm.ts) where it runs; else transpose flags
 *   and batches would leave XNNPACK for a scalar loop (see wasm-matmul.ts). Our GEMM splits big products over
 *   helper threads where the host started some on a shared heap (own-gemm-threads.ts).
 * - Slice, Unpack and SplitV on `wasm`: the stock Slice copies its whole input per output (wasm-slice.ts).
 * - WordloomAdamW on `cpu` and `wasm` (a kernel of our own): the whole optimizer step in one call (adamw.ts).
 * - WordloomLstmCell and its gradient on `cpu` and `wasm` (kernels of our own): one LSTM step's gate math in one
 *   call each way (lstm-cell.ts); likewise WordloomLayerNorm and its gradient (layer-norm.ts), and on `wasm` alone
 *   WordloomGelu and its gradient (gelu.ts, on our SIMD kernel) and WordloomAttention and its gradient
 *   (attention.ts: multi-head self-attention straight from the fused q/k/v projection), WordloomLstmSequence and
 *   its gradient (lstm-sequence.ts: a whole LSTM recurrence per call) and the same for the GRU
 *   (WordloomGruSequence, gru-sequence.ts) and the simple RNN (WordloomRnnSequence, rnn-sequence.ts), and
 *   WordloomSoftmaxCrossEntropy and its gradient (cross-entropy.ts: the weighted training loss from the logits).
 * - Tile on `wasm` where it is a broadcast (size-1 axes repeated): the stock kernel is ~25× slower (wasm-tile.ts).
 * - Identity on `wasm` shares its input's data, as on cpu, where the stock kernel copies it (wasm-identity.ts).
 * - GatherV2 on `wasm` copies whole rows where it picks rows (an embedding lookup; wasm-gather.ts).
 * - Sum on `wasm` over leading axes (a bias's gradient) adds rows in place, where the stock kernel transposes
 *   first (wasm-sum.ts).
 * - On `webgpu`, where tf.js 4.22 computes garbage (each file says how it was measured):
 *   AddN with more than 7 inputs (webgpu-addn.ts); Cast int32/bool → float32, Transpose and the reductions that
 *   transpose internally on int32 buffers, tensorflow/tfjs#8638 (webgpu-int.ts); ArgMax/ArgMin of a vector, shaped
 *   [1] (webgpu-int.ts); DenseBincount of a matrix and with binaryOutput (webgpu-bincount.ts).
 * The gradient of Tile is replaced for all backends (tile-grad.ts: tf.js's adds one slice per repetition).
 * Other backends are left alone. Webgpu kernels wrap the stock ones found with tf.getKernel, so core never
 * imports tfjs-backend-webgpu (it runs in Node on cpu and wasm).
 */

interface Patch {
  kernelName: string;
  /** Builds our config from the stock one (undefined when the backend has none); undefined means skip. */
  make(stock: tf.KernelConfig | undefined, backendName: string): tf.KernelConfig | undefined;
}

const PATCHES: Record<string, Patch[]> = {
  cpu: [
    { kernelName: 'UnsortedSegmentSum', make: segmentSumConfig },
    { kernelName: ADAMW_KERNEL, make: adamWConfig },
    ...[...LSTM_CELL_KERNELS, ...NORM_KERNELS].map(ownKernel),
  ],
  wasm: [
    { kernelName: 'UnsortedSegmentSum', make: segmentSumConfig },
    { kernelName: ADAMW_KERNEL, make: adamWConfig },
    ...[...LSTM_CELL_KERNELS, ...NORM_KERNELS].map(ownKernel),
    ...[
      ...GELU_KERNELS,
      ...ATTENTION_KERNELS,
      ...LSTM_SEQUENCE_KERNELS,
      ...GRU_SEQUENCE_KERNELS,
      ...RNN_SEQUENCE_KERNELS,
      ...XENT_KERNELS,
    ].map(ownKernel),
    { kernelName: 'BatchMatMul', make: wasmBatchMatMulConfig },
    { kernelName: '_FusedMatMul', make: wrapStock(makeWasmFusedMatMul) },
    { kernelName: 'Tile', make: wasmTileConfig },
    { kernelName: 'Slice', make: wrapStock(makeWasmSlice) },
    { kernelName: 'Unpack', make: wrapStock(makeWasmUnpack) },
    { kernelName: 'SplitV', make: wrapStock(makeWasmSplitV) },
    { kernelName: 'Identity', make: wrapStock(makeWasmIdentity) },
    { kernelName: 'GatherV2', make: wrapStock(makeWasmGather) },
    { kernelName: 'Sum', make: wrapStock(makeWasmSum) },
  ],
  webgpu: [
    { kernelName: 'AddN', make: wrapStock(makeChunkedAddN) },
    { kernelName: 'Cast', make: wrapStock(makeConvertingCast) },
    intSafe('Transpose', SAME_DTYPE),
    intSafe('Sum', SUM_DTYPE),
    intSafe('Prod', SUM_DTYPE),
    intSafe('Max', SAME_DTYPE),
    intSafe('Min', SAME_DTYPE),
    intSafe('Mean', FLOAT32),
    intSafe('UnsortedSegmentSum', SAME_DTYPE, 1),
    intSafe('Cumsum', SAME_DTYPE),
    { kernelName: 'ArgMax', make: wrapStock((stock) => makeIntSafe(makeScalarArgReduce(stock), INT32)) },
    { kernelName: 'ArgMin', make: wrapStock((stock) => makeIntSafe(makeScalarArgReduce(stock), INT32)) },
    { kernelName: 'DenseBincount', make: wrapStock(makeWebGpuDenseBincount) },
  ],
};

function intSafe(kernelName: string, outDtype: OutDtype, minRank?: number): Patch {
  return { kernelName, make: wrapStock((stock) => makeIntSafe(stock, outDtype, minRank)) };
}

/** A patch that wraps the stock kernel's function; skipped when the backend (not loaded here) has none. */
function wrapStock(wrap: (stock: tf.KernelFunc) => tf.KernelFunc): Patch['make'] {
  return (stock, backendName) =>
    stock && {
      kernelName: stock.kernelName,
      backendName,
      kernelFunc: wrap(stock.kernelFunc),
      setupFunc: stock.setupFunc,
      disposeFunc: stock.disposeFunc,
    };
}

function segmentSumConfig(stock: tf.KernelConfig | undefined, backendName: string): tf.KernelConfig {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: linearSegmentSum,
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
  };
}

function wasmBatchMatMulConfig(stock: tf.KernelConfig | undefined, backendName: string): tf.KernelConfig | undefined {
  const transpose = findKernel('Transpose', backendName);
  if (stock === undefined || transpose === undefined) return undefined; // tfjs-backend-wasm not loaded
  // The stock setupFunc still runs at backend start, so the stock kernel we delegate to is ready.
  const kernelFunc = makeWasmBatchMatMul(stock.kernelFunc, transpose.kernelFunc);
  return {
    kernelName: 'BatchMatMul',
    backendName,
    kernelFunc,
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
  };
}

/** A kernel of ours with no stock counterpart. */
function ownKernel([kernelName, kernelFunc]: OwnKernel): Patch {
  return {
    kernelName,
    make: (_stock, backendName) => ({ kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc }),
  };
}

function adamWConfig(_stock: tf.KernelConfig | undefined, backendName: string): tf.KernelConfig {
  return { kernelName: ADAMW_KERNEL, backendName, kernelFunc: adamWKernel as unknown as tf.KernelFunc };
}

function wasmTileConfig(stock: tf.KernelConfig | undefined, backendName: string): tf.KernelConfig | undefined {
  const fill = findKernel('Fill', backendName);
  const add = findKernel('Add', backendName);
  if (stock === undefined || fill === undefined || add === undefined) return undefined; // tfjs-backend-wasm not loaded
  return {
    kernelName: 'Tile',
    backendName,
    kernelFunc: makeWasmTile(stock.kernelFunc, fill.kernelFunc, add.kernelFunc),
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
  };
}

function findKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  const found: tf.KernelConfig | undefined = tf.getKernel(kernelName, backendName); // tf types it non-optional; it is not
  return found;
}

/** Stock configs we replaced, keyed `backend/kernel`; null when the backend had no such kernel. */
const replaced = new Map<string, tf.KernelConfig | null>();
const ours = new WeakSet<tf.KernelFunc>();

/**
 * Registers Wordloom's kernels for `backendName` (call when that backend starts; calling again is a no-op).
 * Returns the names of the kernels of ours that are now active for it.
 */
export function registerWordloomKernels(backendName: string): string[] {
  registerTileGradient(); // a gradient, not a kernel: the same for every backend (tile-grad.ts)
  const active: string[] = [];
  for (const patch of PATCHES[backendName] ?? []) {
    const current = findKernel(patch.kernelName, backendName);
    if (current !== undefined && ours.has(current.kernelFunc)) {
      active.push(patch.kernelName);
      continue;
    }
    const config = patch.make(current, backendName);
    if (config === undefined) continue;
    if (current !== undefined) tf.unregisterKernel(patch.kernelName, backendName);
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
    replaced.set(`${backendName}/${patch.kernelName}`, current ?? null);
    active.push(patch.kernelName);
  }
  return active;
}

/** Puts back the stock kernels `registerWordloomKernels` replaced for `backendName` (benchmarks and tests compare both). */
export function unregisterWordloomKernels(backendName: string): void {
  for (const patch of PATCHES[backendName] ?? []) {
    const key = `${backendName}/${patch.kernelName}`;
    const stock = replaced.get(key);
    const current = findKernel(patch.kernelName, backendName);
    if (stock === undefined || current === undefined || !ours.has(current.kernelFunc)) continue;
    tf.unregisterKernel(patch.kernelName, backendName);
    if (stock !== null) tf.registerKernel(stock);
    replaced.delete(key);
  }
}
