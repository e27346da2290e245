import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef, registerCustomLayers } from '../../../core/nodes/index';
import { makeGraph, makeNode } from '../../builders';
import { expectSameLogits } from '../export/pytorch/equivalence';
import { NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from '../export/pytorch/helpers';
import { maxAbsDiff, roundTrip } from '../layers/helpers';
import { buildNode, D, T } from './build-node';

afterAll(removeTempDirs);
beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

const def = getNodeDef('Conv1D');
if (!def) throw new Error('Conv1D is not registered');
const conv = buildNode(def, { params: { filters: 6, kernelSize: 3, activation: 'gelu' } });
const run = (tokens: number[][], x: tf.Tensor): number[][][] =>
  (conv.model.predict([tf.tensor2d(tokens, undefined, 'int32'), x]) as tf.Tensor).arraySync() as number[][][];

describe('causal, padding-masked Conv1D', () => {
  it('has k·D·F + F weights and gives (T, F)', () => {
    expect(conv.model.countParams()).toBe(3 * D * 6 + 6);
    expect(conv.params).toBe(conv.model.countParams());
    expect(conv.out.shape).toEqual([T, 6]);
  });

  it('is causal: changing position 5 changes no output before it, and changes 5, 6 and 7 (k = 3)', () => {
    const tokens = [[1, 2, 3, 4, 5, 6, 7, 8]];
    const x = tf.randomNormal([1, T, D], 0, 1, 'float32', 1);
    const bumped = x.add(tf.oneHot([5], T).reshape([1, T, 1]).mul(3));
    const [a, b] = [run(tokens, x)[0] ?? [], run(tokens, bumped)[0] ?? []];
    const moved = a.map((row, t) => Math.max(...row.map((v, f) => Math.abs(v - (b[t]?.[f] ?? NaN)))));
    for (let t = 0; t < 5; t++) expect(moved[t]).toBe(0);
    for (let t = 5; t < 8; t++) expect(moved[t]).toBeGreaterThan(1e-4);
  });

  it('masks padding: whatever sits at padding never reaches a real position, and padding outputs are 0', () => {
    // Left padding at 0-1 (a conv would otherwise read it at 2 and 3) and right padding at 6-7.
    const tokens = [[0, 0, 3, 4, 5, 6, 0, 0]];
    const x = tf.randomNormal([1, T, D], 0, 1, 'float32', 2);
    const pad = tf.tensor([1, 1, 0, 0, 0, 0, 1, 1]).reshape([1, T, 1]);
    const noisy = x.add(pad.mul(tf.randomNormal([1, T, D], 0, 5, 'float32', 3)));
    const [a, b] = [run(tokens, x)[0] ?? [], run(tokens, noisy)[0] ?? []];
    expect(maxAbsDiff(tf.tensor(a), tf.tensor(b))).toBe(0);
    for (const t of [0, 1, 6, 7]) expect(a[t]?.every((v) => v === 0)).toBe(true);
    expect(Math.max(...(a[2] ?? []).map(Math.abs))).toBeGreaterThan(1e-4);
  });

  it('survives save and reload', async () => {
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5, 0, 0, 0]], undefined, 'int32');
    const x = tf.randomNormal([1, T, D], 0, 1, 'float32', 4);
    const reloaded = await roundTrip(conv.model);
    expect(maxAbsDiff(reloaded.predict([tokens, x]) as tf.Tensor, conv.model.predict([tokens, x]) as tf.Tensor)).toBe(
      0,
    );
  });

  it.skipIf(!TORCH_PY)(`model.py matches tf.js within 1e-4 (kernel permuted to (F, D, k))${NEEDS_TORCH}`, async () => {
    const graph = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 10 }, 'in'),
        makeNode('Embedding', { dim: 12 }, 'emb'),
        makeNode('Conv1D', { filters: 16, kernelSize: 4, activation: 'gelu' }, 'conv'),
        makeNode('Conv1D', { filters: 12, kernelSize: 2, activation: 'relu' }, 'conv2'),
        makeNode('Conv1D', { filters: 8, kernelSize: 1, activation: 'linear' }, 'conv3'),
        makeNode('NextTokenHead', { tieEmbedding: false }, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'conv'],
        ['conv', 'conv2'],
        ['conv2', 'conv3'],
        ['conv3', 'head'],
      ],
      'Conv LM',
    );
    await expectSameLogits(runFromGraph(graph, { vocabSize: 30, numClasses: 2 }));
  });
});
