import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRope, ropeTables } from '../../../core/layers/attention';
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

const def = getNodeDef('SelfAttention');
if (!def) throw new Error('SelfAttention is not registered');

describe('rotary position embeddings (SelfAttention rope)', () => {
  it('make a score depend only on the distance between the two positions, and keep vector lengths', () => {
    const T = 12;
    const hd = 8;
    const { cos, sin } = ropeTables(T, hd);
    // The same query and key vector at every position: after rotation, q_m · k_n must be a function of m - n.
    const q = tf.tile(tf.randomNormal([1, 1, 1, hd], 0, 1, 'float32', 1), [1, 1, T, 1]);
    const k = tf.tile(tf.randomNormal([1, 1, 1, hd], 0, 1, 'float32', 2), [1, 1, T, 1]);
    const scores = tf.matMul(applyRope(q, cos, sin), applyRope(k, cos, sin), false, true).reshape([T, T]);
    const s = scores.arraySync() as number[][];
    for (let m = 1; m < T; m++) for (let n = 1; n < T; n++) expect(s[m]?.[n]).toBeCloseTo(s[m - 1]?.[n - 1] ?? NaN, 4);
    expect(Math.abs((s[5]?.[2] ?? 0) - (s[5]?.[4] ?? 0))).toBeGreaterThan(1e-3); // but it does depend on the distance
    const norms = (x: tf.Tensor) => tf.norm(x, 'euclidean', -1);
    expect(maxAbsDiff(norms(applyRope(q, cos, sin)), norms(q))).toBeLessThan(1e-5);
  });

  it('changes the output of a causal SelfAttention, and a reloaded layer keeps it on', async () => {
    const plain = buildNode(def, { params: { heads: 2, causal: true, dropout: 0, rope: false } });
    const rotary = buildNode(def, { params: { heads: 2, causal: true, dropout: 0, rope: true } });
    rotary.model.setWeights(plain.model.getWeights());
    const tokens = tf.ones([2, 8], 'int32');
    const x = tf.randomNormal([2, 8, 16], 0, 1, 'float32', 4);
    const a = plain.model.predict([tokens, x]) as tf.Tensor;
    const b = rotary.model.predict([tokens, x]) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
    // Position 0 is rotated by angle 0 and, causal, sees only itself: its output is the same either way.
    expect(maxAbsDiff(a.slice([0, 0, 0], [2, 1, 16]), b.slice([0, 0, 0], [2, 1, 16]))).toBeLessThan(1e-5);
    const reloaded = await roundTrip(rotary.model);
    expect(maxAbsDiff(reloaded.predict([tokens, x]) as tf.Tensor, b)).toBe(0);
  });

  it('refuses an odd head width with one sentence naming the numbers', () => {
    const args = {
      inputs: { in: { type: 'sequence' as const, shape: [8, 12] } },
      params: { heads: 4, causal: true, dropout: 0, rope: true },
      binding: { vocabSize: 9, numClasses: 2 },
      nodesOfType: () => [],
    };
    expect(() => def.infer(args)).toThrow('SelfAttention: RoPE needs an even head width, but dim 12 / heads 4 is 3');
    expect(def.infer({ ...args, params: { ...args.params, rope: false } }).shape).toEqual([8, 12]);
  });

  it('migrates a version-1 node: rope off', () => {
    expect(def.migrations.find((m) => m.to === 2)?.up({ heads: 2 })).toEqual({ heads: 2, rope: false });
  });

  it.skipIf(!TORCH_PY)(`model.py matches tf.js within 1e-4 with no positional encoding${NEEDS_TORCH}`, async () => {
    const graph = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 10 }, 'in'),
        makeNode('Embedding', { dim: 16 }, 'emb'),
        makeNode('SelfAttention', { heads: 2, causal: true, dropout: 0, rope: true }, 'attn'),
        makeNode('Add', {}, 'res'),
        makeNode('SelfAttention', { heads: 4, causal: false, dropout: 0, rope: true }, 'attn2'),
        makeNode('NextTokenHead', { tieEmbedding: false }, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'attn'],
        ['emb', 'res.a'],
        ['attn', 'res.b'],
        ['res', 'attn2'],
        ['attn2', 'head'],
      ],
      'RoPE LM',
    );
    await expectSameLogits(runFromGraph(graph, { vocabSize: 30, numClasses: 2 }));
  });
});
