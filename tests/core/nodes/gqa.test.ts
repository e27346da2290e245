import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef, registerCustomLayers } from '../../../core/nodes/index';
import { makeGraph, makeNode } from '../../builders';
import { expectSameLogits } from '../export/pytorch/equivalence';
import { NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from '../export/pytorch/helpers';
import { maxAbsDiff, roundTrip } from '../layers/helpers';
import { buildNode, D } from './build-node';

afterAll(removeTempDirs);
beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

const def = getNodeDef('SelfAttention');
if (!def) throw new Error('SelfAttention is not registered');
const attention = (kvHeads: number, rope = false) =>
  buildNode(def, { params: { heads: 4, causal: true, dropout: 0, rope, kvHeads } });

describe('grouped-query attention (SelfAttention kvHeads)', () => {
  it('has D(D + 2·kv) + D + 2·kv + D² + D weights, as its cost says; kvHeads = heads is plain multi-head', () => {
    const hd = D / 4;
    for (const kv of [1, 2, 4]) {
      const b = attention(kv);
      const kvDim = kv * hd;
      expect(b.model.countParams()).toBe(D * (D + 2 * kvDim) + D + 2 * kvDim + D * D + D);
      expect(b.params).toBe(b.model.countParams());
    }
    expect(attention(4).model.countParams()).toBe(attention(0).model.countParams());
  });

  it('equals multi-head attention whose k and v heads are copies shared by each group of query heads', async () => {
    const hd = D / 4;
    const gqa = attention(2, true);
    const mha = attention(0, true);
    const [qkv, bias, out, outBias] = gqa.model.getWeights() as [tf.Tensor2D, tf.Tensor1D, tf.Tensor, tf.Tensor];
    // Columns [q (4 heads) | k (2 heads) | v (2 heads)] -> [q | k0 k0 k1 k1 | v0 v0 v1 v1].
    const widen = (w: tf.Tensor, axis: number): tf.Tensor => {
      const [q, k, v] = tf.split(w, [D, 2 * hd, 2 * hd], axis);
      const twice = (t: tf.Tensor) => {
        const [a, b] = tf.split(t, 2, axis);
        return tf.concat([a, a, b, b] as tf.Tensor[], axis);
      };
      return tf.concat([q as tf.Tensor, twice(k as tf.Tensor), twice(v as tf.Tensor)], axis);
    };
    mha.model.setWeights([widen(qkv, 1), widen(bias, 0), out, outBias]);
    const tokens = tf.tensor2d(
      [
        [3, 4, 5, 6, 7, 0, 0, 0],
        [1, 2, 3, 4, 5, 6, 7, 8],
      ],
      undefined,
      'int32',
    );
    const x = tf.randomNormal([2, 8, D], 0, 1, 'float32', 9);
    const a = gqa.model.predict([tokens, x]) as tf.Tensor; // (B, T, D)
    const b = mha.model.predict([tokens, x]) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(maxAbsDiff(a, attention(2, true).model.predict([tokens, x]) as tf.Tensor)).toBeGreaterThan(1e-3); // weights matter
    const reloaded = await roundTrip(gqa.model);
    expect(maxAbsDiff(reloaded.predict([tokens, x]) as tf.Tensor, a)).toBe(0);
  });

  it('trains: one optimizer step lowers a regression loss and moves every weight', () => {
    const b = attention(2, true);
    const tokens = tf.tensor2d([[3, 4, 5, 6, 7, 0, 0, 0]], undefined, 'int32');
    const x = tf.randomNormal([1, 8, D], 0, 1, 'float32', 5);
    const target = tf.randomNormal([1, 8, D], 0, 1, 'float32', 6);
    const loss = () =>
      tf.losses.meanSquaredError(target, b.model.apply([tokens, x], { training: true }) as tf.Tensor) as tf.Scalar;
    const before = b.model.getWeights().map((w) => w.clone());
    const first = loss().dataSync()[0] ?? NaN;
    tf.train.sgd(0.05).minimize(
      loss,
      false,
      b.model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(loss().dataSync()[0]).toBeLessThan(first);
    b.model.getWeights().forEach((w, i) => expect(maxAbsDiff(w, before[i] as tf.Tensor)).toBeGreaterThan(0));
  });

  it('refuses kvHeads that do not divide heads, naming both', () => {
    const args = {
      inputs: { in: { type: 'sequence' as const, shape: [8, 12] } },
      params: { heads: 4, causal: true, dropout: 0, rope: false, kvHeads: 3 },
      binding: { vocabSize: 9, numClasses: 2 },
      nodesOfType: () => [],
    };
    expect(() => def.infer(args)).toThrow('SelfAttention: heads 4 is not divisible by kvHeads 3');
  });

  it('migrates a version-2 node: kvHeads 0 (one per head)', () => {
    expect(def.migrations.find((m) => m.to === 3)?.up({ heads: 2, rope: true })).toEqual({
      heads: 2,
      rope: true,
      kvHeads: 0,
    });
  });

  it.skipIf(!TORCH_PY)(
    `model.py matches tf.js within 1e-4 for grouped and multi-query attention${NEEDS_TORCH}`,
    async () => {
      const graph = makeGraph(
        [
          makeNode('TokenInput', { seqLen: 10 }, 'in'),
          makeNode('Embedding', { dim: 16 }, 'emb'),
          makeNode('SelfAttention', { heads: 4, kvHeads: 2, causal: true, dropout: 0, rope: true }, 'gqa'),
          makeNode('Add', {}, 'res'),
          makeNode('SelfAttention', { heads: 4, kvHeads: 1, causal: true, dropout: 0, rope: false }, 'mqa'),
          makeNode('NextTokenHead', { tieEmbedding: false }, 'head'),
        ],
        [
          ['in', 'emb'],
          ['emb', 'gqa'],
          ['emb', 'res.a'],
          ['gqa', 'res.b'],
          ['res', 'mqa'],
          ['mqa', 'head'],
        ],
        'GQA LM',
      );
      await expectSameLogits(runFromGraph(graph, { vocabSize: 30, numClasses: 2 }));
    },
  );
});
