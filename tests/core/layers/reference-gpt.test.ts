import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PositionalEncoding, TransformerBlock } from '../../../core/layers/index';
import { ids, maxAbsDiff, run, sym, syms } from './helpers';
import { blockWeightList, referenceGpt, randomGptWeights, type GptConfig, type GptWeights } from './reference-gpt';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The same mini GPT from our layers: embedding, learned positions, N blocks, final LayerNorm, Dense to V. */
function layersGpt(c: GptConfig, w: GptWeights): tf.LayersModel {
  const tokens = tf.input({ shape: [c.seqLen], dtype: 'int32' });
  const embedding = tf.layers.embedding({ inputDim: c.vocabSize, outputDim: c.dim });
  const positions = new PositionalEncoding({ kind: 'learned' });
  let x = sym(positions.apply(sym(embedding.apply(tokens))));
  const blocks = w.blocks.map(
    () =>
      new TransformerBlock({
        numHeads: c.numHeads,
        ffMultiplier: c.ffMultiplier,
        causal: c.causal,
        norm: c.norm,
        epsilon: c.epsilon,
      }),
  );
  for (const block of blocks) x = syms(block.apply([x, tokens]))[0] ?? x;
  const lnF = tf.layers.layerNormalization({ epsilon: c.epsilon });
  const head = tf.layers.dense({ units: c.vocabSize });
  const model = tf.model({ inputs: tokens, outputs: sym(head.apply(sym(lnF.apply(x)))) });
  embedding.setWeights([w.tokenEmbedding]);
  positions.setWeights([w.positions]);
  blocks.forEach((b, i) => {
    const bw = w.blocks[i];
    if (bw) b.setWeights(blockWeightList(bw));
  });
  lnF.setWeights([w.lnFGamma, w.lnFBeta]);
  head.setWeights([w.headKernel, w.headBias]);
  return model;
}

const base: GptConfig = {
  vocabSize: 13,
  seqLen: 7,
  dim: 12,
  numHeads: 3,
  numLayers: 2,
  ffMultiplier: 4,
  causal: true,
  norm: 'pre',
  epsilon: 1e-5,
};
// Right padding, a full row, and a row that is all padding.
const batch = [
  [3, 7, 1, 12, 5, 0, 0],
  [9, 2, 2, 4, 11, 6, 8],
  [0, 0, 0, 0, 0, 0, 0],
];

describe('a mini GPT from our layers equals the hand-written reference with the same weights', () => {
  it.each([
    ['causal, pre-norm', base],
    ['causal, post-norm', { ...base, norm: 'post' as const }],
    ['bidirectional, pre-norm, 1 head', { ...base, causal: false, numHeads: 1 }],
  ])('%s: logits agree within 1e-4', (_, c) => {
    const w = randomGptWeights(c, 7);
    const model = layersGpt(c, w);
    const ours = run(model, ids(batch));
    const ref = referenceGpt(batch, w, c);
    expect(ours.shape).toEqual([3, c.seqLen, c.vocabSize]);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
    // The logits are not degenerate: different positions predict differently.
    expect(maxAbsDiff(tf.slice(ref, [1, 0, 0], [1, 1, -1]), tf.slice(ref, [1, 1, 0], [1, 1, -1]))).toBeGreaterThan(0.1);
    expect(Array.from(ours.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('the reference is sensitive to a single weight (so agreement is not an accident)', () => {
    const w = randomGptWeights(base, 7);
    const model = layersGpt(base, w);
    const block0 = w.blocks[0];
    if (!block0) throw new Error('no block');
    // One feature only: a uniform shift would be erased by the next LayerNorm.
    const bump = tf.mul(tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), base.dim), [base.dim]), 0.05);
    const nudged = { ...w, blocks: [{ ...block0, fc2Bias: tf.add(block0.fc2Bias, bump) }, ...w.blocks.slice(1)] };
    expect(maxAbsDiff(run(model, ids(batch)), referenceGpt(batch, nudged, base))).toBeGreaterThan(1e-3);
  });
});
