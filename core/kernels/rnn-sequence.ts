import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { boolAttr, expectFloat32, kernelInput, type KernelArgs } from './kernel-args';
import { gemmSplitColumns, MAX_GEMM_THREADS, rowKernelSplit } from './own-gemm-threads';
import { ownKernelsOf, ownWasmHeap, ownWasmKernels } from './own-wasm';
import { orderOf, roundUp, sequenceScratch } from './sequence-scratch';

/**
 * The masked simple-RNN recurrence over a whole sequence as one kernel call each way on wasm
 * (core/layers/fused-rnn.ts has the formulas), as lstm-sequence.ts does for the LSTM: each step's h·U on our
 * GEMM (U packed once per call) and its tanh and mask on our SIMD kernel, shared with the helper threads.
 *
 * WordloomRnnSequence — proj (T, B, H) (x_t·W + b in time order), u (H, H), masks (T, B, 1) of 0/1; attr
 *   backwards. Outputs, in time order: h after each step and tanh(x_t + h·U) of each step, both (T, B, H).
 * WordloomRnnSequenceGrad — dy (T, B, H), the forward's two outputs, masks, u; attr backwards. Outputs the
 *   projections' gradient and the state before each step, both (T, B, H) (U's gradient is one product).
 */
export const RNN_SEQUENCE_KERNEL = 'WordloomRnnSequence';
export const RNN_SEQUENCE_GRAD_KERNEL = 'WordloomRnnSequenceGrad';

function sizesOf(args: KernelArgs, kernel: string): { seqLen: number; batch: number; units: number } {
  const u = kernelInput(args, 'u');
  const masks = kernelInput(args, 'masks');
  const [seqLen, batch] = masks.shape;
  const units = u.shape[0];
  const ok =
    u.dtype === 'float32' &&
    u.shape.length === 2 &&
    u.shape[1] === units &&
    units % 4 === 0 &&
    masks.dtype === 'float32' &&
    masks.shape.join() === [seqLen, batch, 1].join();
  if (!ok) throw new Error(`${kernel}: u must be float32 (H, H) with H a multiple of 4 and masks (T, B, 1).`);
  return { seqLen, batch, units };
}

function sequenceKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, RNN_SEQUENCE_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizesOf(args, RNN_SEQUENCE_KERNEL);
  const proj = kernelInput(args, 'proj');
  expectFloat32(proj, [T, B, H], 'proj', RNN_SEQUENCE_KERNEL);
  const [outs, acts] = [0, 1].map(() => backend.makeOutput([T, B, H], 'float32'));
  const state = B * H;
  // packed U, a packed a, h·U, zeros, the threads' tiles
  const scratch = sequenceScratch(backend, [roundUp(H, 8) * H, roundUp(B, 4) * H, state, state, 32 * MAX_GEMM_THREADS]);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [bp, ap, hu, zero, tile] = scratch.at;
    scratch.zero(3);
    const heap = ownWasmHeap(backend);
    own.pack_b8(ptr(kernelInput(args, 'u')), bp, H, H, H, 1);
    const bytes = 4 * state; // per step
    const masks = ptr(kernelInput(args, 'masks'));
    let prev = -1;
    for (const t of orderOf(T, boolAttr(args, 'backwards'))) {
      const h = prev < 0 ? zero : ptr(outs) + prev * bytes;
      own.pack_a4(h, ap, B, H, H, 1);
      gemmSplitColumns(own, heap, ap, bp, 0, hu, B, H, H, tile); // hu = h·U
      const cell = [ptr(proj) + t * bytes, hu, h, masks + 4 * t * B, ptr(acts) + t * bytes, ptr(outs) + t * bytes];
      rowKernelSplit(own, heap, 'rnn_cell', cell, B, H);
      prev = t;
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [outs, acts];
}

function sequenceGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, RNN_SEQUENCE_GRAD_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizesOf(args, RNN_SEQUENCE_GRAD_KERNEL);
  const names = ['dy', 'outs', 'acts'];
  const inputs = names.map((name) => kernelInput(args, name));
  inputs.forEach((t, i) => expectFloat32(t, [T, B, H], names[i], RNN_SEQUENCE_GRAD_KERNEL));
  const [dProj, before] = [0, 1].map(() => backend.makeOutput([T, B, H], 'float32'));
  const state = B * H;
  // packed Uᵀ, a packed a, dA·Uᵀ, zeros, dhCarry twice (ping-pong), the threads' tiles
  const floats = [roundUp(H, 8) * H, roundUp(B, 4) * H, state, state, state, state, 32 * MAX_GEMM_THREADS];
  const scratch = sequenceScratch(backend, floats);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [dy, outs, acts] = inputs.map(ptr);
    const [bp, ap, dhMat, zero, carryA, carryB, tile] = scratch.at;
    [2, 3, 4].forEach(scratch.zero); // dA·Uᵀ, zeros, the first carry
    const heap = ownWasmHeap(backend);
    own.pack_b8(ptr(kernelInput(args, 'u')), bp, H, H, 1, H); // Uᵀ: b[kk, j] = U[j, kk]
    const bytes = 4 * state;
    const masks = ptr(kernelInput(args, 'masks'));
    const order = orderOf(T, boolAttr(args, 'backwards'));
    const heap32 = new Float32Array(backend.typedArrayFromHeap(before).buffer); // all of the heap, for copies
    let [carry, carryNext] = [carryA, carryB];
    for (let s = T - 1; s >= 0; s--) {
      const t = order[s];
      const h = s === 0 ? zero : outs + order[s - 1] * bytes;
      heap32.copyWithin((ptr(before) + t * bytes) / 4, h / 4, h / 4 + state);
      const dA = ptr(dProj) + t * bytes;
      const cell = [dy + t * bytes, carry, dhMat, masks + 4 * t * B, acts + t * bytes, dA, carryNext];
      rowKernelSplit(own, heap, 'rnn_cell_grad', cell, B, H);
      if (s > 0) {
        own.pack_a4(dA, ap, B, H, H, 1);
        gemmSplitColumns(own, heap, ap, bp, 0, dhMat, B, H, H, tile); // dA·Uᵀ for the step before
      }
      [carry, carryNext] = [carryNext, carry];
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [dProj, before];
}

/** Registered for wasm only; core/layers/fused-rnn.ts uses them where `canRunRnnSequence(units)`. */
export const RNN_SEQUENCE_KERNELS: readonly OwnKernel[] = [
  [RNN_SEQUENCE_KERNEL, sequenceKernel],
  [RNN_SEQUENCE_GRAD_KERNEL, sequenceGradKernel],
];

/** Whether the current backend runs a whole simple-RNN sequence of `units` units as our kernels. */
export function canRunRnnSequence(units: number): boolean {
  const backend = tf.backend();
  const registered = RNN_SEQUENCE_KERNELS.every(([name]) => tf.getKernel(name, tf.getBackend()) !== undefined);
  return registered && units % 4 === 0 && isWasmBackend(backend) && ownWasmKernels(backend) !== undefined;
}

/** [h after each step, tanh(x_t + h·U) of each step], both (T, B, H) in time order. */
export function rnnSequence(proj: tf.Tensor, u: tf.Tensor, masks: tf.Tensor, backwards: boolean): tf.Tensor[] {
  return tf.engine().runKernel(RNN_SEQUENCE_KERNEL, { proj, u, masks }, { backwards }) as tf.Tensor[];
}

/** [dProj (T, B, H), the state before each step (T, B, H)]. */
export function rnnSequenceGrad(
  inputs: { dy: tf.Tensor; outs: tf.Tensor; acts: tf.Tensor; masks: tf.Tensor; u: tf.Tensor },
  backwards: boolean,
): tf.Tensor[] {
  return tf.engine().runKernel(RNN_SEQUENCE_GRAD_KERNEL, inputs, { backwards }) as tf.Tensor[];
}
