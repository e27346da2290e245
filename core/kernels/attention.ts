import * as tf from '@tensorflow/tfjs';
import { attentionScratchFloats, keepRowFloats, type AttentionJob } from './attention-entries';
import { isWasmBackend, wasmRecord, type WasmBackend } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { boolAttr, expectFloat32, intAttr, kernelInput, type KernelArgs } from './kernel-args';
import { attentionSplit, ownGemmThreadsOn } from './own-gemm-threads';
import { ownKernelsOf, ownWasmHeap, ownWasmKernels, type OwnWasmKernels } from './own-wasm';

/**
 * Multi-head self-attention's core as one kernel each way on wasm, straight from the fused projection:
 *
 * WordloomAttention — qkv (B, T, 3D) float32, columns [q | k | v] with `heads` heads of d = D/heads each, and
 *   keep (B, T) float32 (1: a key that may be seen; 0: padding); attrs heads, causal. Outputs the context
 *   (B, T, D), heads side by side as the output projection reads them, and the probabilities (B, heads, T, T):
 *   softmax(q·kᵀ/√d) over the keys each query may see (not padding, and not later ones when causal), 0 where it
 *   may not (a query that may see none: all 0).
 * WordloomAttentionGrad — dy (B, T, D), qkv, probs as the forward returned them; attrs heads, causal. Outputs
 *   dqkv (B, T, 3D).
 *
 * Composed from tf.js ops the same attention is a head split (reshape, rank-4 transpose, split), the mask built
 * from the tokens, two batched products, a softmax and the merge forward, ~20 kernels per layer each way; here
 * each (batch, head) entry runs on our GEMM and softmax kernels, in place (attention-entries.ts), shared with the
 * helper threads by entries.
 */
export const ATTENTION_KERNEL = 'WordloomAttention';
export const ATTENTION_GRAD_KERNEL = 'WordloomAttentionGrad';

interface Sizes {
  batch: number;
  seqLen: number;
  heads: number;
  headDim: number;
}

function sizesOf(args: KernelArgs, kernel: string): Sizes {
  const qkv = kernelInput(args, 'qkv');
  const heads = intAttr(args, 'heads');
  const [batch, seqLen, width] = qkv.shape;
  if (qkv.dtype !== 'float32' || qkv.shape.length !== 3 || heads < 1 || width % (3 * heads) !== 0)
    throw new Error(`${kernel}: qkv must be float32 (B, T, 3·heads·d) for ${heads} heads, got [${qkv.shape}].`);
  return { batch, seqLen, heads, headDim: width / (3 * heads) };
}

/**
 * Runs attention forward or backward over every entry with a scratch of its own: per thread a packing region,
 * and (forward) the key mask copied into rows padded with zeros to whole SIMD vectors.
 */
function runEntries(
  backend: WasmBackend,
  own: OwnWasmKernels,
  sizes: Sizes,
  keep: tf.TensorInfo | undefined,
  job: Omit<AttentionJob, 'keep'>,
  backward: boolean,
): void {
  const { batch, seqLen, heads, headDim } = sizes;
  const row = keepRowFloats(seqLen);
  // the mask's rows and each thread's region in whole 64-byte lines, so that after the first line every region
  // starts on one; + 16 floats for aligning the first
  const keepFloats = keep === undefined ? 0 : Math.ceil((batch * row) / 16) * 16;
  const perThread = Math.ceil(attentionScratchFloats(seqLen, headDim) / 16) * 16;
  // One region for each thread the job may run on (the pool's, not the most there can be: a region holds T² floats
  // twice, 32 MiB at T = 2048).
  const heap = ownWasmHeap(backend);
  const threads = heap === undefined ? 1 : ownGemmThreadsOn(heap);
  const scratch = backend.makeOutput([16 + keepFloats + threads * perThread], 'float32');
  try {
    // views only after every allocation: growing the heap detaches earlier ones
    const view = backend.typedArrayFromHeap(scratch);
    const at = wasmRecord(backend, scratch).memoryOffset;
    const base = Math.ceil(at / 64) * 64; // at most 15 floats in
    if (keep !== undefined) {
      const values = backend.typedArrayFromHeap(keep);
      const first = (base - at) / 4;
      view.fill(0, first, first + batch * row);
      for (let b = 0; b < batch; b++) view.set(values.subarray(b * seqLen, (b + 1) * seqLen), first + b * row);
    }
    const regions = base + 4 * keepFloats;
    attentionSplit(own, heap, { ...job, keep: base }, batch * heads, backward, regions, 4 * perThread);
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

function attentionKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, ATTENTION_KERNEL);
  const sizes = sizesOf(args, ATTENTION_KERNEL);
  const { batch, seqLen, heads, headDim } = sizes;
  const qkv = kernelInput(args, 'qkv');
  const keep = kernelInput(args, 'keep');
  expectFloat32(keep, [batch, seqLen], 'keep', ATTENTION_KERNEL);
  const context = backend.makeOutput([batch, seqLen, heads * headDim], 'float32');
  const probs = backend.makeOutput([batch, heads, seqLen, seqLen], 'float32');
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  const job = { seqLen, headDim, heads, causal: boolAttr(args, 'causal'), scale: 1 / Math.sqrt(headDim) };
  runEntries(backend, own, sizes, keep, { ...job, qkv: at(qkv), probs: at(probs), out: at(context), dy: 0 }, false);
  return [context, probs];
}

function attentionGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own } = ownKernelsOf(args.backend, ATTENTION_GRAD_KERNEL);
  const sizes = sizesOf(args, ATTENTION_GRAD_KERNEL);
  const { batch, seqLen, heads, headDim } = sizes;
  const qkv = kernelInput(args, 'qkv');
  const dy = kernelInput(args, 'dy');
  const probs = kernelInput(args, 'probs');
  expectFloat32(dy, [batch, seqLen, heads * headDim], 'dy', ATTENTION_GRAD_KERNEL);
  expectFloat32(probs, [batch, heads, seqLen, seqLen], 'probs', ATTENTION_GRAD_KERNEL);
  const dqkv = backend.makeOutput(qkv.shape, 'float32');
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  const job = { seqLen, headDim, heads, causal: boolAttr(args, 'causal'), scale: 1 / Math.sqrt(headDim) };
  // the backward reads no mask: the probabilities are 0 wherever a key was hidden
  runEntries(
    backend,
    own,
    sizes,
    undefined,
    { ...job, qkv: at(qkv), probs: at(probs), out: at(dqkv), dy: at(dy) },
    true,
  );
  return [dqkv];
}

/** Registered for wasm only; the layers use them where `canFuseAttention()` (else the composed ops). */
export const ATTENTION_KERNELS: readonly OwnKernel[] = [
  [ATTENTION_KERNEL, attentionKernel],
  [ATTENTION_GRAD_KERNEL, attentionGradKernel],
];

/** Whether the current backend runs attention as our kernels: wasm with them registered and our SIMD module up. */
export function canFuseAttention(): boolean {
  const backend = tf.backend();
  const registered = ATTENTION_KERNELS.every(([name]) => tf.getKernel(name, tf.getBackend()) !== undefined);
  return registered && isWasmBackend(backend) && ownWasmKernels(backend) !== undefined;
}

/** [context (B, T, D), probs (B, heads, T, T)] of qkv (B, T, 3D) and keep (B, T). */
export function attentionOp(qkv: tf.Tensor, keep: tf.Tensor, heads: number, causal: boolean): [tf.Tensor, tf.Tensor] {
  const [context, probs] = tf.engine().runKernel(ATTENTION_KERNEL, { qkv, keep }, { heads, causal }) as tf.Tensor[];
  return [context, probs];
}

/** dqkv (B, T, 3D). */
export function attentionGradOp(
  dy: tf.Tensor,
  qkv: tf.Tensor,
  probs: tf.Tensor,
  heads: number,
  causal: boolean,
): tf.Tensor {
  const out = tf.engine().runKernel(ATTENTION_GRAD_KERNEL, { dy, qkv, probs }, { heads, causal }) as
    tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out[0] : out;
}
