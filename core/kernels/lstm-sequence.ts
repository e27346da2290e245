import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord, type WasmBackend } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { boolAttr, expectFloat32, kernelInput, type KernelArgs } from './kernel-args';
import { gemmSplitColumns, MAX_GEMM_THREADS, rowKernelSplit } from './own-gemm-threads';
import { ownKernelsOf, ownWasmHeap, ownWasmKernels } from './own-wasm';
import { orderOf, roundUp, sequenceScratch } from './sequence-scratch';

/**
 * The masked LSTM recurrence over a whole sequence as one kernel call each way on wasm (core/layers/fused-lstm.ts
 * has the formulas): every step's h·U product on our GEMM (U packed once per call) and its cell on our SIMD
 * kernel, both shared with the helper threads, reading and writing the sequence tensors in place. Step by step
 * through tf.js, a step was a product, a cell and their tensors (~130 dispatches each way at T = 64) and the
 * sequence was stacked from and unstacked into per-step tensors both ways.
 *
 * WordloomLstmSequence — proj (T, B, 4H) (x_t·W + b in time order), u (H, 4H), masks (T, B, 1) of 0/1; attr
 *   backwards (steps from T − 1 down). Outputs, each in time order: h after each step (T, B, H), c after it
 *   (T, B, H), the activated gates (T, B, 4H) and tanh of the new cell state (T, B, H).
 * WordloomLstmSequenceGrad — dy (T, B, H), the forward's four outputs, masks, u; attr backwards. Outputs the
 *   projections' gradient (T, B, 4H) and the state before each step (T, B, H) (for U's gradient, one product).
 */
export const LSTM_SEQUENCE_KERNEL = 'WordloomLstmSequence';
export const LSTM_SEQUENCE_GRAD_KERNEL = 'WordloomLstmSequenceGrad';

interface Sizes {
  seqLen: number;
  batch: number;
  units: number;
}

function sizesOf(args: KernelArgs, kernel: string): Sizes {
  const u = kernelInput(args, 'u');
  const masks = kernelInput(args, 'masks');
  const [seqLen, batch] = masks.shape;
  const units = u.shape[0];
  const ok =
    u.dtype === 'float32' &&
    u.shape.length === 2 &&
    u.shape[1] === 4 * units &&
    units % 4 === 0 &&
    masks.dtype === 'float32' &&
    masks.shape.join() === [seqLen, batch, 1].join();
  if (!ok) throw new Error(`${kernel}: u must be float32 (H, 4H) with H a multiple of 4 and masks (T, B, 1).`);
  return { seqLen, batch, units };
}

/**
 * Scratch for one call: the packed recurrent kernel, a packed a, a product's output, zeros (the state before
 * the first step), `extra` more (B, H) buffers, the threads' tiles.
 */
function scratchFor(backend: WasmBackend, { batch, units }: Sizes, kFloats: number, nFloats: number, extra: number) {
  const state = batch * units;
  const states = Array.from({ length: extra }, () => state);
  const parts = [roundUp(nFloats, 8) * kFloats, roundUp(batch, 4) * kFloats, batch * nFloats, state, ...states];
  return sequenceScratch(backend, [...parts, 32 * MAX_GEMM_THREADS]);
}

function sequenceKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, LSTM_SEQUENCE_KERNEL);
  const sizes = sizesOf(args, LSTM_SEQUENCE_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizes;
  const proj = kernelInput(args, 'proj');
  expectFloat32(proj, [T, B, 4 * H], 'proj', LSTM_SEQUENCE_KERNEL);
  const [outs, cs, gates, tcs] = [H, H, 4 * H, H].map((w) => backend.makeOutput([T, B, w], 'float32'));
  const scratch = scratchFor(backend, sizes, H, 4 * H, 0);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [bp, ap, hu, zero, tile] = scratch.at;
    scratch.zero(3);
    const heap = ownWasmHeap(backend);
    own.pack_b8(ptr(kernelInput(args, 'u')), bp, H, 4 * H, 4 * H, 1);
    const [state, wide] = [4 * B * H, 16 * B * H]; // bytes per step
    const masks = ptr(kernelInput(args, 'masks'));
    let prev = -1;
    for (const t of orderOf(T, boolAttr(args, 'backwards'))) {
      const [h, c] = prev < 0 ? [zero, zero] : [ptr(outs) + prev * state, ptr(cs) + prev * state];
      own.pack_a4(h, ap, B, H, H, 1);
      gemmSplitColumns(own, heap, ap, bp, 0, hu, B, H, 4 * H, tile); // hu = h·U
      const cell = [ptr(proj) + t * wide, hu, c, h, masks + 4 * t * B, ptr(gates) + t * wide];
      rowKernelSplit(
        own,
        heap,
        'lstm_cell',
        [...cell, ptr(tcs) + t * state, ptr(cs) + t * state, ptr(outs) + t * state],
        B,
        H,
      );
      prev = t;
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [outs, cs, gates, tcs];
}

function sequenceGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, LSTM_SEQUENCE_GRAD_KERNEL);
  const sizes = sizesOf(args, LSTM_SEQUENCE_GRAD_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizes;
  const inputs = ['dy', 'outs', 'cs', 'gates', 'tcs'].map((name) => kernelInput(args, name));
  inputs.forEach((t, i) =>
    expectFloat32(t, [T, B, i === 3 ? 4 * H : H], ['dy', 'outs', 'cs', 'gates', 'tcs'][i], LSTM_SEQUENCE_GRAD_KERNEL),
  );
  const dProj = backend.makeOutput([T, B, 4 * H], 'float32');
  const before = backend.makeOutput([T, B, H], 'float32');
  // scratch: packed Uᵀ (4H, H), packed dA, dh·Uᵀ, zeros, then dhCarry and dc twice (ping-pong: no kernel's
  // outputs alias its inputs)
  const scratch = scratchFor(backend, sizes, 4 * H, H, 4);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [dy, outs, cs, gates, tcs] = inputs.map(ptr);
    const [bp, ap, dhMat, zero, carryA, carryB, dcA, dcB, tile] = scratch.at;
    [2, 3, 4, 6].forEach(scratch.zero); // dh·Uᵀ, zeros, the first dhCarry and dc
    const heap = ownWasmHeap(backend);
    own.pack_b8(ptr(kernelInput(args, 'u')), bp, 4 * H, H, 1, 4 * H); // Uᵀ: b[kk, j] = U[j, kk]
    const [state, wide] = [4 * B * H, 16 * B * H];
    const masks = ptr(kernelInput(args, 'masks'));
    const order = orderOf(T, boolAttr(args, 'backwards'));
    const heap32 = new Float32Array(backend.typedArrayFromHeap(before).buffer); // all of the heap, for copies
    let [carry, dc, carryNext, dcNext] = [carryA, dcA, carryB, dcB];
    for (let s = T - 1; s >= 0; s--) {
      const t = order[s];
      const [h, c] = s === 0 ? [zero, zero] : [outs + order[s - 1] * state, cs + order[s - 1] * state];
      heap32.copyWithin((ptr(before) + t * state) / 4, h / 4, h / 4 + B * H);
      const dA = ptr(dProj) + t * wide;
      const cell = [dy + t * state, carry, dhMat, dc, masks + 4 * t * B, gates + t * wide, tcs + t * state, c];
      rowKernelSplit(own, heap, 'lstm_cell_grad', [...cell, dA, dcNext, carryNext], B, H);
      if (s > 0) {
        own.pack_a4(dA, ap, B, 4 * H, 4 * H, 1);
        gemmSplitColumns(own, heap, ap, bp, 0, dhMat, B, 4 * H, H, tile); // dh·Uᵀ for the step before
      }
      [carry, dc, carryNext, dcNext] = [carryNext, dcNext, carry, dc];
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [dProj, before];
}

/** Registered for wasm only; core/layers/fused-lstm.ts uses them where `canRunLstmSequence(units)`. */
export const LSTM_SEQUENCE_KERNELS: readonly OwnKernel[] = [
  [LSTM_SEQUENCE_KERNEL, sequenceKernel],
  [LSTM_SEQUENCE_GRAD_KERNEL, sequenceGradKernel],
];

/** Whether the current backend runs a whole LSTM sequence of `units` units as our kernels. */
export function canRunLstmSequence(units: number): boolean {
  const backend = tf.backend();
  const registered = LSTM_SEQUENCE_KERNELS.every(([name]) => tf.getKernel(name, tf.getBackend()) !== undefined);
  return registered && units % 4 === 0 && isWasmBackend(backend) && ownWasmKernels(backend) !== undefined;
}

/** [h after each step, c after it, gates, tanh(c)], each (T, B, ·) in time order. */
export function lstmSequence(proj: tf.Tensor, u: tf.Tensor, masks: tf.Tensor, backwards: boolean): tf.Tensor[] {
  return tf.engine().runKernel(LSTM_SEQUENCE_KERNEL, { proj, u, masks }, { backwards }) as tf.Tensor[];
}

/** [dProj (T, B, 4H), the state before each step (T, B, H)]. */
export function lstmSequenceGrad(
  inputs: {
    dy: tf.Tensor;
    outs: tf.Tensor;
    cs: tf.Tensor;
    gates: tf.Tensor;
    tcs: tf.Tensor;
    masks: tf.Tensor;
    u: tf.Tensor;
  },
  backwards: boolean,
): tf.Tensor[] {
  return tf.engine().runKernel(LSTM_SEQUENCE_GRAD_KERNEL, inputs, { backwards }) as tf.Tensor[];
}
