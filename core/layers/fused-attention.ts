import * as tf from '@tensorflow/tfjs';
import { attentionGradOp, attentionOp } from '../kernels/attention';

/**
 * Head layout for attention without rank-5 transposes. The fused projection (B, T, 3D) used to become q, k, v by
 * a (B, T, 3, heads, d) -> (3, B, heads, T, d) transpose: tfjs-backend-wasm has fast paths for ranks ≤ 4 only and
 * took ~18 ms for that one call (0.07 ms for the rank-4 equivalent), 8 calls per Mini GPT step with the backward.
 * On wasm the 3·heads column groups go to axis 1 with one rank-4 transpose and are split there: the same values.
 */
export function splitQkvHeads(qkv: tf.Tensor, numHeads: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [batch, seqLen, width] = qkv.shape;
  if (batch === undefined || seqLen === undefined || width === undefined || width % (3 * numHeads) !== 0)
    throw new Error(`splitQkvHeads expects (B, T, 3·heads·d), got [${qkv.shape}] for ${numHeads} heads`);
  const headDim = width / (3 * numHeads);
  if (tf.getBackend() !== 'wasm') {
    // cpu slices along a middle axis element by element (a split here took 1.2 s against 0.1 s for this path),
    // and the GPU backends were verified against wasm on this one (tests/e2e/webgpu): the rank-5 transpose.
    const heads = tf.transpose(tf.reshape(qkv, [batch, seqLen, 3, numHeads, headDim]), [2, 0, 3, 1, 4]); // (3, B, heads, T, d)
    const [q, k, v] = tf.unstack(heads);
    return [q, k, v];
  }
  const grouped = tf.reshape(qkv, [batch, seqLen, 3 * numHeads, headDim]); // (B, T, 3D) -> (B, T, 3·heads, d)
  const heads = tf.transpose(grouped, [0, 2, 1, 3]); // -> (B, 3·heads, T, d)
  const [q, k, v] = tf.split(heads, 3, 1); // each (B, heads, T, d)
  return [q, k, v];
}

/** (B, heads, T, d) -> (B, T, heads·d), the inverse of the head split (one rank-4 transpose). */
export function mergeHeads(context: tf.Tensor): tf.Tensor {
  const [batch, heads, seqLen, headDim] = context.shape;
  if (context.rank !== 4 || batch === undefined || heads === undefined || seqLen === undefined || headDim === undefined)
    throw new Error(`mergeHeads expects (B, heads, T, d), got [${context.shape}]`);
  return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, seqLen, heads * headDim]);
}

/**
 * The (T, T) lower-triangular ones (1 where key ≤ query), built from a typed array: the same values as
 * tf.linalg.bandPart(tf.ones([T, T]), -1, 0) without its ~10 kernel calls per attention layer and step.
 */
export function causalLower(seqLen: number): tf.Tensor2D {
  const values = new Float32Array(seqLen * seqLen);
  for (let q = 0; q < seqLen; q++) values.fill(1, q * seqLen, q * seqLen + q + 1);
  return tf.tensor2d(values, [seqLen, seqLen]);
}

/** Added to the scores of forbidden (query, key) pairs; exp underflows to exactly 0 in float32. */
export const MASKED = -1e9;

/**
 * The unfused attention core, for tests and for the probabilities where no gradient is taken:
 * probs = softmax(q·kᵀ/√d + (1 − allowed)·MASKED) · allowed, context = dropout(probs) · v.
 * q (B, heads, T, d), k and v (B, heads, T, d), allowed (B, 1, T, T) of 0/1; `probs` is before dropout.
 */
export function attentionCoreReference(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  allowed: tf.Tensor,
  dropout = 0,
): { context: tf.Tensor; probs: tf.Tensor } {
  const scale = 1 / Math.sqrt(q.shape[3] ?? 1);
  const scores = tf.mul(tf.matMul(q, k, false, true), scale); // (B, heads, T, d) @ (B, heads, d, T) -> (B, heads, T, T)
  const masked = tf.add(scores, tf.mul(tf.sub(1, allowed), MASKED)); // (B, heads, T, T)
  // A padding query whose row is fully masked would spread evenly over forbidden keys; zeroing keeps it finite and causal.
  const probs = tf.mul(tf.softmax(masked, -1), allowed); // (B, heads, T, T)
  const dropped = dropout > 0 ? tf.dropout(probs, dropout) : probs;
  return { context: tf.matMul(dropped, v), probs }; // (B, heads, T, T) @ (B, heads, T, d) -> (B, heads, T, d)
}

/**
 * The attention core of `attentionCoreReference` as one recorded op with a closed-form gradient, for training
 * steps (no dropout on the probabilities). Autodiff of the reference records every broadcast, mask and softmax
 * kernel and keeps a copy of each one's inputs; here the forward runs unrecorded, five tensors are kept
 * (q, k, v, the softmax, the mask) and the backward is the textbook one:
 *   dv = Pᵀ·dy,  dP = dy·vᵀ·allowed,  dS = softmax ⊙ (dP − Σ_keys dP ⊙ softmax),  dq = dS·k/√d,  dk = dSᵀ·q/√d.
 * The mask is constant (no gradient). Values and gradients match the reference within float32 rounding
 * (tests/core/layers/fused-ops.test.ts).
 */
export function fusedAttentionCore(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, allowed: tf.Tensor): tf.Tensor {
  const scale = 1 / Math.sqrt(q.shape[3] ?? 1);
  const core = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [q, k, v, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const bias = tf.mul(tf.sub(1, allowed), MASKED); // (B, 1, T, T): 0 where allowed, MASKED where not
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), bias); // (B, heads, T, T)
    const soft = tf.softmax(scores, -1);
    const context = tf.matMul(tf.mul(soft, allowed), v); // (B, heads, T, d)
    save([q, k, v, soft, allowed]);
    return {
      value: context,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, ss, sa] = saved;
        if (!sq || !sk || !sv || !ss || !sa) throw new Error('fusedAttentionCore: saved tensors are missing');
        const probs = tf.mul(ss, sa); // (B, heads, T, T)
        const dv = tf.matMul(probs, dy, true, false); // (B, heads, T, d)
        const dProbs = tf.mul(tf.matMul(dy, sv, false, true), sa); // (B, heads, T, T), 0 where masked
        const dScores = tf.mul(ss, tf.sub(dProbs, tf.sum(tf.mul(dProbs, ss), -1, true))); // softmax backward
        const dScaled = tf.mul(dScores, scale);
        return [tf.matMul(dScaled, sk), tf.matMul(dScaled, sq, true, false), dv];
      },
    };
  });
  return core(q, k, v);
}

/**
 * Self-attention's core straight from the fused projection, as our wasm kernels (core/kernels/attention.ts),
 * for training steps where `canFuseAttention()`: qkv (B, T, 3D) and keep (B, T) (1: a key that may be seen)
 * -> the context (B, T, D), heads merged, with the same values as splitting qkv into heads,
 * `fusedAttentionCore` and merging them again (tests/core/layers/fused-ops.test.ts). The mask is constant;
 * the softmax is kept for the backward.
 */
export function fusedSelfAttention(qkv: tf.Tensor, keep: tf.Tensor, heads: number, causal: boolean): tf.Tensor {
  const core = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [context, probs] = attentionOp(input, keep, heads, causal);
    save([input, probs]);
    return {
      value: context,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sp] = saved;
        if (!sq || !sp) throw new Error('fusedSelfAttention: saved tensors are missing');
        return attentionGradOp(dy, sq, sp, heads, causal);
      },
    };
  });
  return core(qkv);
}
