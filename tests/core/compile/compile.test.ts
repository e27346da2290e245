import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelArtifacts, saveModelArtifacts } from '../../../core/compile/artifacts';
import { compileGraph, type CompileResult } from '../../../core/compile/compile';
import { layerNames } from '../../../core/compile/names';
import { TiedEmbedding } from '../../../core/layers/tied-embedding';
import { inferGraph } from '../../../core/shapes/infer';
import { graphOf, residualLm } from './graphs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding = { vocabSize: 30, numClasses: 4 };

function compiled(r: CompileResult): Extract<CompileResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected the graph to compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

const randomTokens = (b: number, t: number) => tf.randomUniform([b, t], 0, binding.vocabSize, 'int32');

function predictOne(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  const y = model.predict(x);
  if (Array.isArray(y)) throw new Error('one output expected');
  return y;
}

describe('compileGraph', () => {
  it('builds a residual LM whose logits and parameter count match inference', () => {
    const g = residualLm();
    const r = compiled(compileGraph(g, binding));
    expect(r.task).toBe('next-token');
    expect(r.headId).toBe('head');
    expect(r.attention).toEqual([]);
    const y = predictOne(r.model, randomTokens(3, 8));
    expect(y.shape).toEqual([3, 8, binding.vocabSize]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(r.model.countParams()).toBe(inferGraph(g, binding).totals.params);
    expect(r.model.inputs[0].dtype).toBe('int32');
  });

  it('compiles the same graph twice side by side (weight names do not collide)', () => {
    const a = compiled(compileGraph(residualLm(), binding));
    const b = compiled(compileGraph(residualLm(), binding));
    expect(a.model.getLayer('emb')).not.toBe(b.model.getLayer('emb'));
  });

  it('returns diagnostics for invalid graphs instead of throwing', () => {
    const mismatch = graphOf(
      [
        ['in', 'TokenInput'],
        ['e1', 'Embedding', { dim: 16 }],
        ['e2', 'Embedding', { dim: 8 }],
        ['sum', 'Add'],
        ['head', 'NextTokenHead'],
      ],
      ['in->e1', 'in->e2', 'e1->sum.a', 'e2->sum.b', 'sum->head'],
    );
    const r1 = compileGraph(mismatch, binding);
    expect(r1.ok).toBe(false);
    if (!r1.ok)
      expect(r1.diagnostics).toContainEqual(
        expect.objectContaining({ nodeId: 'sum', message: expect.stringContaining('[64, 16]') }),
      );

    const noHead = graphOf(
      [
        ['in', 'TokenInput'],
        ['emb', 'Embedding'],
      ],
      ['in->emb'],
    );
    const r2 = compileGraph(noHead, binding);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.diagnostics.map((d) => d.code)).toContain('no-head');

    const badTie = residualLm({ tie: true });
    badTie.nodes.push({ id: 'emb2', type: 'Embedding', params: { dim: 16 }, position: { x: 0, y: 200 } });
    badTie.edges.push({ id: 'e99', from: { node: 'in', port: 'out' }, to: { node: 'emb2', port: 'in' } });
    const r3 = compileGraph(badTie, binding);
    expect(r3.ok).toBe(false);
    if (!r3.ok)
      expect(r3.diagnostics.map((d) => d.message).join(' ')).toMatch(/exactly one Embedding in the graph, found 2/);
  });
});

describe('tied embedding', () => {
  it('uses one matrix for lookup and output, and round-trips through save and load', async () => {
    const untied = compiled(compileGraph(residualLm(), binding)).model;
    const r = compiled(compileGraph(residualLm({ tie: true }), binding));
    const emb = r.model.getLayer('emb');
    expect(emb).toBeInstanceOf(TiedEmbedding);
    expect(untied.countParams() - r.model.countParams()).toBe(16 * binding.vocabSize + binding.vocabSize);

    // The head's logits move when, and only because, the shared matrix moves.
    const x = randomTokens(2, 8);
    const before = predictOne(r.model, x);
    const [w] = emb.getWeights();
    emb.setWeights([tf.mul(w, 2)]);
    const after = predictOne(r.model, x);
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeGreaterThan(1e-3);

    const loaded = await loadModelArtifacts(await saveModelArtifacts(r.model));
    expect(loaded.getLayer('emb')).toBeInstanceOf(TiedEmbedding);
    expect(loaded.countParams()).toBe(r.model.countParams());
    const again = predictOne(loaded, x);
    expect(tf.max(tf.abs(tf.sub(after, again))).dataSync()[0]).toBe(0);
  });

  it('trains with the shared matrix: the loss falls', async () => {
    const r = compiled(compileGraph(residualLm({ tie: true }), binding));
    r.model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    const x = randomTokens(4, 8);
    const y = tf.cast(tf.expandDims(randomTokens(4, 8), -1), 'float32');
    const h = await r.model.fit(x, y, { epochs: 3, verbose: 0 });
    const losses = h.history.loss.map(Number);
    expect(losses[2]).toBeLessThan(losses[0]);
  });
});

describe('layerNames', () => {
  it('gives tf.js-safe names that no node suffix can collide with', () => {
    const names = layerNames(['ff', 'ff_up', '3d', 'a b', 'tokens'], ['tokens']);
    expect([...names.values()]).toEqual(['ff', 'ffup', 'n3d', 'a_b', 'tokens2']);
    const all = [...names.values(), 'tokens'];
    for (const a of all) for (const b of all) if (a !== b) expect(b.startsWith(`${a}_`)).toBe(false);
  });
});
