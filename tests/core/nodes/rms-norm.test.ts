import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef, registerCustomLayers } from '../../../core/nodes/index';
import { makeGraph, makeNode } from '../../builders';
import { expectSameLogits } from '../export/pytorch/equivalence';
import { NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from '../export/pytorch/helpers';
import { maxAbsDiff, roundTrip } from '../layers/helpers';
import { buildNode } from './build-node';

afterAll(removeTempDirs);
beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

const def = getNodeDef('RMSNorm');
if (!def) throw new Error('RMSNorm is not registered');

describe('RMSNorm', () => {
  it('computes x / sqrt(mean(x²) + 1e-6) · gamma, with D weights, and survives save and reload', async () => {
    const b = buildNode(def);
    expect(b.model.countParams()).toBe(16);
    const gamma = tf.range(1, 17).div(8);
    b.model.weights[0]?.write(gamma);
    const x = tf.randomNormal([2, 8, 16], 3, 2, 'float32', 5); // a mean far from 0: RMSNorm keeps it
    const tokens = tf.ones([2, 8], 'int32'); // the single-node model also takes the token ids
    const y = b.model.predict([tokens, x]) as tf.Tensor;
    const expected = tf.mul(tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6))), gamma);
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    expect(tf.mean(y).dataSync()[0]).toBeGreaterThan(0.5); // not re-centred, unlike LayerNorm
    const reloaded = await roundTrip(b.model);
    expect(maxAbsDiff(reloaded.predict(reloaded.inputs.length === 2 ? [tokens, x] : x) as tf.Tensor, y)).toBe(0);
  });

  it('refuses an input without a last axis to normalise, naming the node type', () => {
    expect(() =>
      def.infer({
        inputs: { in: { type: 'tokens', shape: [8] } },
        params: {},
        binding: { vocabSize: 9, numClasses: 2 },
        nodesOfType: () => [],
      }),
    ).toThrow(/RMSNorm/);
  });

  const lm = makeGraph(
    [
      makeNode('TokenInput', { seqLen: 10 }, 'in'),
      makeNode('Embedding', { dim: 16 }, 'emb'),
      makeNode('RMSNorm', {}, 'norm'),
      makeNode('Dense', { units: 16, activation: 'gelu' }, 'mix'),
      makeNode('RMSNorm', {}, 'final'),
      makeNode('NextTokenHead', { tieEmbedding: false }, 'head'),
    ],
    [
      ['in', 'emb'],
      ['emb', 'norm'],
      ['norm', 'mix'],
      ['mix', 'final'],
      ['final', 'head'],
    ],
    'RMSNorm LM',
  );

  it.skipIf(!TORCH_PY)(`model.py matches tf.js within 1e-4 (sequence and vector inputs)${NEEDS_TORCH}`, async () => {
    await expectSameLogits(runFromGraph(lm, { vocabSize: 30, numClasses: 2 }));
    const classifier = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 10 }, 'in'),
        makeNode('Embedding', { dim: 12 }, 'emb'),
        makeNode('MeanPool', {}, 'pool'),
        makeNode('RMSNorm', {}, 'norm'),
        makeNode('ClassifierHead', {}, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'pool'],
        ['pool', 'norm'],
        ['norm', 'head'],
      ],
      'RMSNorm classifier',
    );
    await expectSameLogits(runFromGraph(classifier, { vocabSize: 30, numClasses: 3 }));
  });
});
