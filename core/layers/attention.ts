import * as tf from '@tensorflow/tfjs';
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
}

/** Added to the scores of forbidden (query, key) pairs; exp underflows to exactly 0 in float32. */
const MASKED = -1e9;

export type AttentionVariables = Record<keyof AttentionWeights, tf.LayerVariable>;

/** Creates the attention weights in a fixed order (the order `getWeights()` returns them). */
export function createAttentionWeights(dim: number, add: AddWeightFn): AttentionVariables {
  return {
    qkvKernel: add('qkv_kernel', [dim, 3 * dim], 'kernel'),
    qkvBias: add('qkv_bias', [3 * dim], 'zeros'),
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

/** Trainable parameters of one attention: 4D² + 4D. */
export const attentionParamCount = (dim: number): number => 4 * dim * dim + 4 * dim;

/**
 * Which keys each query may see: (B, 1, T, T) float, 1 = allowed. A query never sees padding keys
 * (token 0) and, when causal, never sees a later position.
 */
export function allowedPairs(tokens: tf.Tensor, seqLen: number, causal: boolean): tf.Tensor {
  const keys = tf.expandDims(tf.expandDims(keepMask(tokens), 1), 1); // (B, T) -> (B, 1, 1, T)
  if (!causal) return tf.tile(keys, [1, 1, seqLen, 1]); // (B, 1, 1, T) -> (B, 1, T, T)
  const lower = tf.linalg.bandPart(tf.ones([seqLen, seqLen]), -1, 0); // (T, T): 1 where key <= query
  return tf.mul(keys, lower); // (B, 1, 1, T) * (T, T) -> (B, 1, T, T)
}

/** y (B, T, D) and the attention probabilities (B, heads, T, T) before dropout. */
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
  const qkv = dense(x, w.qkvKernel, w.qkvBias); // (B, T, D) -> (B, T, 3D)
  const split = tf.reshape(qkv, [batch, seqLen, 3, o.numHeads, headDim]); // (B, T, 3D) -> (B, T, 3, heads, D/heads)
  const heads = tf.transpose(split, [2, 0, 3, 1, 4]); // -> (3, B, heads, T, D/heads)
  const [q, k, v] = tf.unstack(heads); // each (B, heads, T, D/heads)
  if (!q || !k || !v) throw new Error('selfAttention: q/k/v split failed');
  const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim)); // (B, heads, T, D/heads) @ (B, heads, D/heads, T) -> (B, heads, T, T)
  const allowed = allowedPairs(tokens, seqLen, o.causal); // (B, 1, T, T)
  const masked = tf.add(scores, tf.mul(tf.sub(1, allowed), MASKED)); // (B, heads, T, T)
  // A padding query whose row is fully masked would spread evenly over forbidden keys; zeroing keeps it finite and causal.
  const probs = tf.mul(tf.softmax(masked, -1), allowed); // (B, heads, T, T)
  const dropped = o.training && o.dropout > 0 ? tf.dropout(probs, o.dropout) : probs;
  const context = tf.matMul(dropped, v); // (B, heads, T, T) @ (B, heads, T, D/heads) -> (B, heads, T, D/heads)
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, seqLen, dim]); // -> (B, T, heads, D/heads) -> (B, T, D)
  const y = dense(merged, w.outKernel, w.outBias); // (B, T, D) -> (B, T, D)
  return { y: o.training && o.dropout > 0 ? tf.dropout(y, o.dropout) : y, probs };
}
