import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { boolAttr, expectFloat32, kernelInput, type KernelArgs } from './kernel-args';
import { gemmSplitColumns, MAX_GEMM_THREADS, rowKernelSplit } from './own-gemm-threads';
import { ownKernelsOf, ownWasmHeap, ownWasmKernels } from './own-wasm';
import { orderOf, roundUp, sequenceScratch } from './sequence-scratch';

/**
 * The masked GRU recurrence over a whole sequence as one kernel call each way on wasm (core/layers/fused-gru.ts
 * has the formulas), as lstm-sequence.ts does for the LSTM: each step's two products, h·U_zr and (r·h)·U_h, on
 * our GEMM (the blocks of U packed once per call) and the cell math around them on our SIMD kernels, all shared
 * with the helper threads, in place in the sequence tensors. Step by step through tf.js, autodiff recorded ~50
 * kernels per step and differentiated each (6,500 kernel calls per GRU LM training step at T = 64).
 *
 * WordloomGruSequence — proj (T, B, 3H) (x_t·W + b in time order, gates z, r, h), u (H, 3H), masks (T, B, 1) of
 *   0/1; attr backwards (steps from T − 1 down). Outputs, in time order: h after each step (T, B, H) and the
 *   gates [z, r, hc] of each step (T, B, 3H).
 * WordloomGruSequenceGrad — dy (T, B, H), the forward's two outputs, masks, u; attr backwards. Outputs the
 *   projections' gradient (T, B, 3H), the state before each step (T, B, H) and r·(that state) (T, B, H), from
 *   which U's gradient is two products.
 */
export const GRU_SEQUENCE_KERNEL = 'WordloomGruSequence';
export const GRU_SEQUENCE_GRAD_KERNEL = 'WordloomGruSequenceGrad';

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
    u.shape[1] === 3 * units &&
    units % 4 === 0 &&
    masks.dtype === 'float32' &&
    masks.shape.join() === [seqLen, batch, 1].join();
  if (!ok) throw new Error(`${kernel}: u must be float32 (H, 3H) with H a multiple of 4 and masks (T, B, 1).`);
  return { seqLen, batch, units };
}

function sequenceKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, GRU_SEQUENCE_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizesOf(args, GRU_SEQUENCE_KERNEL);
  const proj = kernelInput(args, 'proj');
  expectFloat32(proj, [T, B, 3 * H], 'proj', GRU_SEQUENCE_KERNEL);
  const outs = backend.makeOutput([T, B, H], 'float32');
  const gates = backend.makeOutput([T, B, 3 * H], 'float32');
  const H8 = roundUp(H, 8);
  // packed U_zr (H, 2H) and U_h (H, H), a packed a, h·U_zr, (r·h)·U_h, r·h, zeros, the threads' tiles
  const state = B * H;
  const scratch = sequenceScratch(backend, [
    2 * H8 * H,
    H8 * H,
    roundUp(B, 4) * H,
    2 * state,
    state,
    state,
    state,
    32 * MAX_GEMM_THREADS,
  ]);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [bZr, bH, ap, hu, hh, rh, zero, tile] = scratch.at;
    scratch.zero(6);
    const heap = ownWasmHeap(backend);
    const u = ptr(kernelInput(args, 'u'));
    own.pack_b8(u, bZr, H, 2 * H, 3 * H, 1); // columns [0, 2H) of u
    own.pack_b8(u + 8 * H, bH, H, H, 3 * H, 1); // columns [2H, 3H)
    const [stateBytes, wide] = [4 * state, 12 * state]; // bytes per step
    const masks = ptr(kernelInput(args, 'masks'));
    let prev = -1;
    for (const t of orderOf(T, boolAttr(args, 'backwards'))) {
      const h = prev < 0 ? zero : ptr(outs) + prev * stateBytes;
      const [x, g] = [ptr(proj) + t * wide, ptr(gates) + t * wide];
      own.pack_a4(h, ap, B, H, H, 1);
      gemmSplitColumns(own, heap, ap, bZr, 0, hu, B, H, 2 * H, tile); // hu = h·U_zr
      rowKernelSplit(own, heap, 'gru_gates', [x, hu, h, g, rh], B, H);
      own.pack_a4(rh, ap, B, H, H, 1);
      gemmSplitColumns(own, heap, ap, bH, 0, hh, B, H, H, tile); // hh = (r·h)·U_h
      rowKernelSplit(own, heap, 'gru_out', [x, hh, h, masks + 4 * t * B, g, ptr(outs) + t * stateBytes], B, H);
      prev = t;
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [outs, gates];
}

function sequenceGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, GRU_SEQUENCE_GRAD_KERNEL);
  const { seqLen: T, batch: B, units: H } = sizesOf(args, GRU_SEQUENCE_GRAD_KERNEL);
  const names = ['dy', 'outs', 'gates'];
  const inputs = names.map((name) => kernelInput(args, name));
  inputs.forEach((t, i) => expectFloat32(t, [T, B, i === 2 ? 3 * H : H], names[i], GRU_SEQUENCE_GRAD_KERNEL));
  const dProj = backend.makeOutput([T, B, 3 * H], 'float32');
  const before = backend.makeOutput([T, B, H], 'float32');
  const rhs = backend.makeOutput([T, B, H], 'float32');
  const H8 = roundUp(H, 8);
  // packed U_hᵀ (H, H) and U_zrᵀ (2H, H), a packed a, d(r·h), dA·U_zrᵀ, zeros, dhPrev twice (ping-pong), tiles
  const state = B * H;
  const scratch = sequenceScratch(backend, [
    H8 * H,
    H8 * 2 * H,
    roundUp(B, 4) * 2 * H,
    state,
    state,
    state,
    state,
    state,
    32 * MAX_GEMM_THREADS,
  ]);
  try {
    const ptr = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const [dy, outs, gates] = inputs.map(ptr);
    const [bH, bZr, ap, drh, dhMat, zero, carryA, carryB, tile] = scratch.at;
    [4, 5, 6].forEach(scratch.zero); // dA·U_zrᵀ, zeros, the first carry
    const heap = ownWasmHeap(backend);
    const u = ptr(kernelInput(args, 'u'));
    own.pack_b8(u + 8 * H, bH, H, H, 1, 3 * H); // U_hᵀ: b[kk, j] = U[j, 2H + kk]
    own.pack_b8(u, bZr, 2 * H, H, 1, 3 * H); // U_zrᵀ: b[kk, j] = U[j, kk], kk < 2H
    const [stateBytes, wide] = [4 * state, 12 * state];
    const masks = ptr(kernelInput(args, 'masks'));
    const order = orderOf(T, boolAttr(args, 'backwards'));
    const heap32 = new Float32Array(backend.typedArrayFromHeap(before).buffer); // all of the heap, for copies
    let [carry, carryNext] = [carryA, carryB];
    for (let s = T - 1; s >= 0; s--) {
      const t = order[s];
      const h = s === 0 ? zero : outs + order[s - 1] * stateBytes;
      heap32.copyWithin((ptr(before) + t * stateBytes) / 4, h / 4, h / 4 + state);
      const [dA, g] = [ptr(dProj) + t * wide, gates + t * wide];
      const m = masks + 4 * t * B;
      const stepRh = ptr(rhs) + t * stateBytes;
      rowKernelSplit(
        own,
        heap,
        'gru_grad_a',
        [dy + t * stateBytes, carry, dhMat, m, g, h, dA, carryNext, stepRh],
        B,
        H,
      );
      own.pack_a4(dA + 8 * H, ap, B, H, 3 * H, 1); // dA_h: columns [2H, 3H) of dA
      gemmSplitColumns(own, heap, ap, bH, 0, drh, B, H, H, tile); // d(r·h) = dA_h·U_hᵀ
      rowKernelSplit(own, heap, 'gru_grad_b', [drh, g, h, dA, carryNext], B, H);
      if (s > 0) {
        own.pack_a4(dA, ap, B, 2 * H, 3 * H, 1); // dA_zr: columns [0, 2H)
        gemmSplitColumns(own, heap, ap, bZr, 0, dhMat, B, 2 * H, H, tile); // dA_zr·U_zrᵀ for the step before
      }
      [carry, carryNext] = [carryNext, carry];
    }
  } finally {
    backend.disposeData(scratch.info.dataId);
  }
  return [dProj, before, rhs];
}

/** Registered for wasm only; core/layers/fused-gru.ts uses them where `canRunGruSequence(units)`. */
export const GRU_SEQUENCE_KERNELS: readonly OwnKernel[] = [
  [GRU_SEQUENCE_KERNEL, sequenceKernel],
  [GRU_SEQUENCE_GRAD_KERNEL, sequenceGradKernel],
];

/** Whether the current backend runs a whole GRU sequence of `units` units as our kernels. */
export function canRunGruSequence(units: number): boolean {
  const backend = tf.backend();
  const registered = GRU_SEQUENCE_KERNELS.every(([name]) => tf.getKernel(name, tf.getBackend()) !== undefined);
  return registered && units % 4 === 0 && isWasmBackend(backend) && ownWasmKernels(backend) !== undefined;
}

/** [h after each step (T, B, H), the gates [z, r, hc] (T, B, 3H)], in time order. */
export function gruSequence(proj: tf.Tensor, u: tf.Tensor, masks: tf.Tensor, backwards: boolean): tf.Tensor[] {
  return tf.engine().runKernel(GRU_SEQUENCE_KERNEL, { proj, u, masks }, { backwards }) as tf.Tensor[];
}

/** [dProj (T, B, 3H), the state before each step (T, B, H), r·(that state) (T, B, H)]. */
export function gruSequenceGrad(
  inputs: { dy: tf.Tensor; outs: tf.Tensor; gates: tf.Tensor; masks: tf.Tensor; u: tf.Tensor },
  backwards: boolean,
): tf.Tensor[] {
  return tf.engine().runKernel(GRU_SEQUENCE_GRAD_KERNEL, inputs, { backwards }) as tf.Tensor[];
}
