import * as tf from '@tensorflow/tfjs';

/**
 * A mini GPT written out in plain tf ops, independent of core/layers: per-head slicing instead of reshapes,
 * masks built in JavaScript from the token ids, LayerNorm and GELU from their formulas. Tests copy the same
 * weights into a model built from our layers and compare logits.
 *
 * Semantics it pins down: padding (id 0) keys are never attended; a query with no visible key outputs only the
 * projection bias; exact GELU x·Φ(x) with Φ from erf; LayerNorm with a given epsilon; pre-norm
 * x + attn(ln1(x)), x + mlp(ln2(x)) or post-norm ln1(x + attn(x)), ln2(x + mlp(x)).
 */
export interface GptConfig {
  vocabSize: number;
  seqLen: number;
  dim: number;
  numHeads: number;
  numLayers: number;
  ffMultiplier: number;
  causal: boolean;
  norm: 'pre' | 'post';
  /** Used by the blocks' and the final LayerNorm. */
  epsilon: number;
}

/** One block's weights in the order TransformerBlock.getWeights() returns them. */
export interface BlockWeights {
  ln1Gamma: tf.Tensor;
  ln1Beta: tf.Tensor;
  qkvKernel: tf.Tensor;
  qkvBias: tf.Tensor;
  outKernel: tf.Tensor;
  outBias: tf.Tensor;
  ln2Gamma: tf.Tensor;
  ln2Beta: tf.Tensor;
  fc1Kernel: tf.Tensor;
  fc1Bias: tf.Tensor;
  fc2Kernel: tf.Tensor;
  fc2Bias: tf.Tensor;
}

export const BLOCK_WEIGHT_ORDER: readonly (keyof BlockWeights)[] = [
  'ln1Gamma',
  'ln1Beta',
  'qkvKernel',
  'qkvBias',
  'outKernel',
  'outBias',
  'ln2Gamma',
  'ln2Beta',
  'fc1Kernel',
  'fc1Bias',
  'fc2Kernel',
  'fc2Bias',
];

export interface GptWeights {
  tokenEmbedding: tf.Tensor; // (V, D)
  positions: tf.Tensor; // (T, D)
  blocks: BlockWeights[];
  lnFGamma: tf.Tensor;
  lnFBeta: tf.Tensor;
  headKernel: tf.Tensor; // (D, V)
  headBias: tf.Tensor; // (V)
}

/** A block's weights from a TransformerBlock layer's getWeights() list. */
export function blockWeightsFromList(list: tf.Tensor[]): BlockWeights {
  if (list.length !== BLOCK_WEIGHT_ORDER.length)
    throw new Error(`expected ${BLOCK_WEIGHT_ORDER.length} block weights, got ${list.length}`);
  const at = (i: number): tf.Tensor => {
    const t = list[i];
    if (!t) throw new Error(`missing block weight ${i}`);
    return t;
  };
  return {
    ln1Gamma: at(0),
    ln1Beta: at(1),
    qkvKernel: at(2),
    qkvBias: at(3),
    outKernel: at(4),
    outBias: at(5),
    ln2Gamma: at(6),
    ln2Beta: at(7),
    fc1Kernel: at(8),
    fc1Bias: at(9),
    fc2Kernel: at(10),
    fc2Bias: at(11),
  };
}

export const blockWeightList = (b: BlockWeights): tf.Tensor[] => BLOCK_WEIGHT_ORDER.map((k) => b[k]);

/** Random weights large enough that every part of the computation matters (gammas near 1, not exactly 1). */
export function randomGptWeights(c: GptConfig, seed = 1): GptWeights {
  let s = seed;
  const rnd = (shape: number[], std = 0.3, mean = 0): tf.Tensor => tf.randomNormal(shape, mean, std, 'float32', s++);
  const { dim: d, vocabSize: v } = c;
  const f = c.ffMultiplier * d;
  const blocks = Array.from({ length: c.numLayers }, () => ({
    ln1Gamma: rnd([d], 0.2, 1),
    ln1Beta: rnd([d], 0.1),
    qkvKernel: rnd([d, 3 * d]),
    qkvBias: rnd([3 * d], 0.1),
    outKernel: rnd([d, d]),
    outBias: rnd([d], 0.1),
    ln2Gamma: rnd([d], 0.2, 1),
    ln2Beta: rnd([d], 0.1),
    fc1Kernel: rnd([d, f]),
    fc1Bias: rnd([f], 0.1),
    fc2Kernel: rnd([f, d]),
    fc2Bias: rnd([d], 0.1),
  }));
  return {
    tokenEmbedding: rnd([v, d], 1),
    positions: rnd([c.seqLen, d], 0.5),
    blocks,
    lnFGamma: rnd([d], 0.2, 1),
    lnFBeta: rnd([d], 0.1),
    headKernel: rnd([d, v]),
    headBias: rnd([v], 0.1),
  };
}

const matmul3 = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor => {
  const [bs, t, d] = x.shape;
  const out = w.shape[1] ?? 0;
  return tf.reshape(tf.add(tf.matMul(tf.reshape(x, [bs * t, d]), w), b), [bs, t, out]); // (B, T, D) -> (B·T, D) -> (B, T, E)
};

export function refLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.div(centered, tf.sqrt(tf.add(variance, eps))), gamma), beta);
}

export const refGelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

/** (B, T, T) booleans: may query i see key j? Built in plain JavaScript from the ids. */
function visible(ids: number[][], causal: boolean): tf.Tensor {
  const rows = ids.map((seq) => seq.map((_, i) => seq.map((tok, j) => tok !== 0 && (!causal || j <= i))));
  return tf.tensor3d(rows, undefined, 'bool');
}

export function refAttention(x: tf.Tensor, ids: number[][], w: BlockWeights, c: GptConfig): tf.Tensor {
  const d = c.dim;
  const hd = d / c.numHeads;
  const allowed = visible(ids, c.causal); // (B, T, T)
  const heads: tf.Tensor[] = [];
  for (let h = 0; h < c.numHeads; h++) {
    const proj = (part: number) =>
      matmul3(
        x,
        tf.slice(w.qkvKernel, [0, part * d + h * hd], [d, hd]),
        tf.slice(w.qkvBias, [part * d + h * hd], [hd]),
      ); // (B, T, hd)
    const [q, k, v] = [proj(0), proj(1), proj(2)];
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(hd)); // (B, T, T)
    const masked = tf.where(allowed, scores, tf.fill(scores.shape, -1e30));
    const probs = tf.where(allowed, tf.softmax(masked), tf.zerosLike(scores)); // a row with no visible key is all zeros
    heads.push(tf.matMul(probs, v)); // (B, T, hd)
  }
  return matmul3(tf.concat(heads, -1), w.outKernel, w.outBias); // (B, T, D)
}

function refBlock(x: tf.Tensor, ids: number[][], w: BlockWeights, c: GptConfig): tf.Tensor {
  const mlp = (z: tf.Tensor) => matmul3(refGelu(matmul3(z, w.fc1Kernel, w.fc1Bias)), w.fc2Kernel, w.fc2Bias);
  const ln1 = (z: tf.Tensor) => refLayerNorm(z, w.ln1Gamma, w.ln1Beta, c.epsilon);
  const ln2 = (z: tf.Tensor) => refLayerNorm(z, w.ln2Gamma, w.ln2Beta, c.epsilon);
  if (c.norm === 'pre') {
    const h = tf.add(x, refAttention(ln1(x), ids, w, c));
    return tf.add(h, mlp(ln2(h)));
  }
  const h = ln1(tf.add(x, refAttention(x, ids, w, c)));
  return ln2(tf.add(h, mlp(h)));
}

/** Logits (B, T, V) for token ids (B, T) with T <= seqLen. */
export function referenceGpt(ids: number[][], w: GptWeights, c: GptConfig): tf.Tensor {
  return tf.tidy(() => {
    const t = ids[0]?.length ?? 0;
    let x = tf.add(
      tf.gather(w.tokenEmbedding, tf.tensor2d(ids, undefined, 'int32')),
      tf.slice(w.positions, [0, 0], [t, c.dim]),
    ); // (B, T, D)
    for (const b of w.blocks) x = refBlock(x, ids, b, c);
    return matmul3(refLayerNorm(x, w.lnFGamma, w.lnFBeta, c.epsilon), w.headKernel, w.headBias); // (B, T, V)
  });
}
