import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../core/compile/compile';
import { blockWeightList, randomGptWeights, referenceGpt, type GptConfig } from '../layers/reference-gpt';
import { loadTemplate } from '../templates/load-templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** templates/mini-gpt.json in the reference's terms (nanoGPT's small CPU config). */
const config: GptConfig = {
  vocabSize: 65,
  seqLen: 64,
  dim: 128,
  numHeads: 4,
  numLayers: 4,
  ffMultiplier: 4,
  causal: true,
  norm: 'pre',
  epsilon: 1e-5,
};

/** Two windows: one full, one right-padded after 40 tokens. */
const batch = [0, 1].map((row) =>
  Array.from({ length: config.seqLen }, (_, i) =>
    row === 1 && i >= 40 ? 0 : 1 + ((i * 31 + row * 17) % (config.vocabSize - 1)),
  ),
);

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('the Mini GPT template', () => {
  it('compiled from its graph equals the hand-written tf.js GPT with the same weights (tied head)', () => {
    const r = compileGraph(loadTemplate('mini-gpt.json'), { vocabSize: config.vocabSize, numClasses: 2 });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    expect(r.attention.map((a) => [a.nodeId, a.numHeads])).toEqual([1, 2, 3, 4].map((i) => [`block${i}`, 4]));

    // Moderate weight scale so a 4-layer, 128-wide stack stays in a range where float32 agreement means something.
    const w = randomGptWeights(config, 11);
    const scaled = {
      ...w,
      blocks: w.blocks.map((b) => ({
        ...b,
        qkvKernel: tf.mul(b.qkvKernel, 0.3),
        fc1Kernel: tf.mul(b.fc1Kernel, 0.3),
        fc2Kernel: tf.mul(b.fc2Kernel, 0.15),
      })),
    };
    r.model.getLayer('emb').setWeights([scaled.tokenEmbedding]);
    r.model.getLayer('pos').setWeights([scaled.positions]);
    scaled.blocks.forEach((b, i) => r.model.getLayer(`block${i + 1}`).setWeights(blockWeightList(b)));
    r.model.getLayer('ln').setWeights([scaled.lnFGamma, scaled.lnFBeta]);
    // Weight tying: the output projection is Eᵀ with no bias.
    const tied = { ...scaled, headKernel: tf.transpose(scaled.tokenEmbedding), headBias: tf.zeros([config.vocabSize]) };

    const ours = r.model.predict(tf.tensor2d(batch, undefined, 'int32'));
    if (Array.isArray(ours)) throw new Error('one output expected');
    const ref = referenceGpt(batch, tied, config);
    expect(ours.shape).toEqual([2, config.seqLen, config.vocabSize]);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
    // Not a degenerate agreement: logits vary across positions and a different weight changes them.
    expect(maxAbsDiff(tf.slice(ref, [0, 0, 0], [1, 1, -1]), tf.slice(ref, [0, 5, 0], [1, 1, -1]))).toBeGreaterThan(0.1);
    const other = referenceGpt(batch, { ...tied, lnFBeta: tf.add(tied.lnFBeta, 0.01) }, config);
    expect(maxAbsDiff(other, ref)).toBeGreaterThan(1e-3);
  });
});
