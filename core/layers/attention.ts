import * as tf from '@tensorflow/tfjs';
import { canFuseAttention } from '../kernels/attention';
import {
  attentionCoreReference,
  causalLower,
  fusedAttentionCore,
  fusedSelfAttention,
  mergeHeads,
  splitQkvHeads,
} from './fused-attention';
import { dense, keepMask, type AddWeightFn } from './ops';

/**
 * Multi-head self-attention math shared by MultiHeadSelfAttention and TransformerBlock (nanoGPT's
 * CausalSelfAttention): one fused q/k/v projection (D×3D + 3D, columns [q | k | v], each split into heads
 * contiguously) and an output projection (D×D + D).
 */
export interface AttentionWeights {
  qkvKernel: tf.Tensor;
  qkvBias: tf.Tensor;
  outKernel: tf.Tensor;
  outBias: tf.Tensor;
}

export interface AttentionOptions {
  numHeads: number;
  causal: boolean;
  /** Dropout on the attention probabilities and on the output projection, training only. */
  dropout: number;
  training: boolean;
  /** Rotary position embeddings (RoPE) on q and k: a head's score depends on the two positions' distance. */
  rope?: boolean;
  /**
   * Grouped-query attention: k and v have this many heads, each shared by numHeads / kvHeads query heads
   * (LLaMA 2/3). The fused kernel is then D × (D + 2·kvHeads·D/heads), columns [q | k | v]. Default numHeads.
   */
  kvHeads?: number;
}

/** RoPE's base: frequency i of a head of width hd is ROPE_BASE^(-2i/hd) (RoFormer, LLaMA). */
export const ROPE_BASE = 10000;

/**
 * cos and sin (T, hd) of RoPE's angles pos · ROPE_BASE^(-2i/hd), i < hd/2, each repeated for both halves of a
 * head (the "rotate half" layout of GPT-NeoX and Hugging Face's LLaMA), computed in float64.
 */
export function ropeTables(seqLen: number, headDim: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = headDim / 2;
  const cos = new Float32Array(seqLen * headDim);
  const sin = new Float32Array(seqLen * headDim);
  for (let t = 0; t < seqLen; t++) {
    for (let i = 0; i < half; i++) {
      const angle = t * Math.pow(ROPE_BASE, (-2 * i) / headDim);
      for (const j of [i, i + half]) {
        cos[t * headDim + j] = Math.cos(angle);
        sin[t * headDim + j] = Math.sin(angle);
      }
    }
  }
  return { cos: tf.tensor2d(cos, [seqLen, headDim]), sin: tf.tensor2d(sin, [seqLen, headDim]) };
}

/** x (B, heads, T, hd) rotated by position: x·cos + rotate_half(x)·sin, rotate_half([a, b]) = [-b, a]. */
export function applyRope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  const half = (x.shape[3] ?? 0) / 2;
  const [a, b] = tf.split(x, [half, half], 3); // each (B, heads, T, hd/2)
  if (!a || !b) throw new Error('applyRope: split failed');
  const rotated = tf.concat([tf.neg(b), a], 3); // (B, heads, T, hd)
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin)); // (T, hd) broadcast over B and heads
}

export type AttentionVariables = Record<keyof AttentionWeights, tf.LayerVariable>;

/**
 * Creates the attention weights in a fixed order (the order `getWeights()` returns them); `kvDim` is the width
 * of k and of v (kvHeads · D/heads, D unless grouped-query).
 */
export function createAttentionWeights(dim: number, add: AddWeightFn, kvDim = dim): AttentionVariables {
  return {
    qkvKernel: add('qkv_kernel', [dim, dim + 2 * kvDim], 'kernel'),
    qkvBias: add('qkv_bias', [dim + 2 * kvDim], 'zeros'),
    outKernel: add('out_kernel', [dim, dim], 'kernel'),
    outBias: add('out_bias', [dim], 'zeros'),
  };
}

export const readAttention = (v: AttentionVariables): AttentionWeights => ({
  qkvKernel: v.qkvKernel.read(),
  qkvBias: v.qkvBias.read(),
  outKernel: v.outKernel.read(),
  outBias: v.outBias.read(),
});

/** Trainable parameters of one attention: 4D² + 4D, or with k and v of width kvDim, D(D + 2kvDim) + D + 2kvDim + D² + D. */
export const attentionParamCount = (dim: number, kvDim = dim): number =>
  dim * (dim + 2 * kvDim) + dim + 2 * kvDim + dim * dim + dim;

/**
 * Which keys each query may see: (B, 1, T, T) float, 1 = allowed. A query never sees padding keys
 * (token 0) and, when causal, never sees a later position.
 */
export function allowedPairs(tokens: tf.Tensor, seqLen: number, causal: boolean): tf.Tensor {
  const keys = tf.expandDims(tf.expandDims(keepMask(tokens), 1), 1); // (B, T) -> (B, 1, 1, T)
  if (!causal) return tf.tile(keys, [1, 1, seqLen, 1]); // (B, 1, 1, T) -> (B, 1, T, T)
  const lower = causalLower(seqLen); // (T, T): 1 where key <= query
  return tf.mul(keys, lower); // (B, 1, 1, T) * (T, T) -> (B, 1, T, T)
}

/**
 * q (B, heads, T, hd) and k, v of kvHeads heads each repeated for the heads / kvHeads query heads that share
 * it (query head h reads kv head floor(h / group), as torch's repeat_interleave).
 */
function groupedQkv(qkv: tf.Tensor, heads: number, kvHeads: number, hd: number): tf.Tensor[] {
  const [batch, seqLen] = qkv.shape;
  if (batch === undefined || seqLen === undefined) throw new Error('groupedQkv: qkv must be (B, T, F)');
  const group = heads / kvHeads;
  const [q, k, v] = tf.split(qkv, [heads * hd, kvHeads * hd, kvHeads * hd], 2);
  if (!q || !k || !v) throw new Error('groupedQkv: split failed');
  const toHeads = (t: tf.Tensor, n: number) => tf.transpose(tf.reshape(t, [batch, seqLen, n, hd]), [0, 2, 1, 3]); // (B, n, T, hd)
  // Head h reads kv head floor(h / group): a gather on the head axis (tile of a rank-5 tensor has no gradient in tf.js).
  const which = tf.tensor1d(
    Array.from({ length: heads }, (_, h) => Math.floor(h / group)),
    'int32',
  );
  const repeat = (t: tf.Tensor) => tf.gather(toHeads(t, kvHeads), which, 1); // (B, kv, T, hd) -> (B, heads, T, hd)
  return [toHeads(q, heads), repeat(k), repeat(v)];
}

/**
 * The probabilities' place in a training step's outputs, which nothing reads: zeros of their shape made by the
 * backend's Fill kernel, where tf.zeros builds them in JS and copies them in (0.8 MB per Mini GPT block a step).
 */
const unreadProbs = (shape: number[]): tf.Tensor => tf.fill(shape, 0);

/** y (B, T, D) and the attention probabilities (B, heads, T, T) before dropout (zeros in a training step without dropout). */
export function selfAttention(
  x: tf.Tensor,
  tokens: tf.Tensor,
  w: AttentionWeights,
  o: AttentionOptions,
): { y: tf.Tensor; probs: tf.Tensor } {
  const [batch, seqLen, dim] = x.shape;
  if (batch === undefined || seqLen === undefined || dim === undefined || x.rank !== 3) {
    throw new Error(`selfAttention expects x of rank 3, got shape [${x.shape}]`);
  }
  const headDim = dim / o.numHeads;
  const qkv = dense(x, w.qkvKernel, w.qkvBias); // (B, T, D) -> (B, T, 3D), or (B, T, D + 2·kvDim) when grouped
  const dropout = o.training && o.dropout > 0;
  const kvHeads = o.kvHeads ?? o.numHeads;
  const grouped = kvHeads !== o.numHeads;
  if (o.training && !dropout && !o.rope && !grouped && canFuseAttention()) {
    // A training step on wasm: the core as our kernels, straight from qkv into the merged context (no head
    // split, mask tensor or merge). As below, its probabilities are not returned.
    const context = fusedSelfAttention(qkv, keepMask(tokens), o.numHeads, o.causal); // (B, T, D)
    return { y: dense(context, w.outKernel, w.outBias), probs: unreadProbs([batch, o.numHeads, seqLen, seqLen]) };
  }
  const [q0, k0, v] = !grouped
    ? splitQkvHeads(qkv, o.numHeads) // (B, T, 3D) -> each (B, heads, T, D/heads)
    : groupedQkv(qkv, o.numHeads, kvHeads, headDim);
  if (!q0 || !k0 || !v) throw new Error('selfAttention: q/k/v split failed');
  const rope = o.rope ? ropeTables(seqLen, headDim) : undefined;
  const q = rope ? applyRope(q0, rope.cos, rope.sin) : q0; // (B, heads, T, D/heads)
  const k = rope ? applyRope(k0, rope.cos, rope.sin) : k0;
  const allowed = allowedPairs(tokens, seqLen, o.causal); // (B, 1, T, T)
  let context: tf.Tensor; // (B, heads, T, D/heads)
  let probs: tf.Tensor; // (B, heads, T, T)
  if (o.training && !dropout) {
    // A training step: one op with its own gradient. Its probabilities are not kept, and nothing in a training
    // step reads them (attention maps come from inference calls): the second output is zeros of their shape.
    context = fusedAttentionCore(q, k, v, allowed);
    probs = unreadProbs([batch, o.numHeads, seqLen, seqLen]);
  } else {
    // Inference (the attention maps) and dropout: the plain ops, dropout on the probabilities.
    ({ context, probs } = attentionCoreReference(q, k, v, allowed, dropout ? o.dropout : 0));
  }
  const merged = mergeHeads(context); // -> (B, T, heads, D/heads) -> (B, T, D)
  const y = dense(merged, w.outKernel, w.outBias); // (B, T, D) -> (B, T, D)
  return { y: dropout ? tf.dropout(y, o.dropout) : y, probs };
}
