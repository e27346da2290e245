import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeWeights } from '../../../core/compile/node-weights';
import { loadDataset } from '../../../core/host-node/datasets';
import { packBundle, unpackBundle } from '../../../core/run/files';
import { lineageChains } from '../../../core/run/lineage';
import { loadRun } from '../../../core/run/load';
import { compileForData, runFiles, trainRun, type TrainedRun } from '../../../core/run/session';
import { warmStart, WarmStartError } from '../../../core/run/warm-start';
import { FreezeError } from '../../../core/train/freeze';
import { withTrainDefaults } from '../../../core/train/protocol';
import { chain, makeGraph, makeNode } from '../../builders';
import type { Graph } from '../../../core/graph/model';

// A tiny char LM pre-trained for a few steps on Shakespeare is the parent; children change the graph around it.
const lm = (ff = 4, name = 'Tiny LM'): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 16 }, 'in'),
      makeNode('Embedding', { dim: 16 }, 'emb'),
      makeNode('PositionalEncoding', { kind: 'learned' }, 'pos'),
      makeNode('TransformerBlock', { heads: 2, ffMultiplier: ff }, 'block'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'pos', 'block', 'head'),
    name,
  );

const shakespeare = loadDataset('shakespeare', { tokenizer: 'char' });
const config = withTrainDefaults({ steps: 4, batchSize: 4, evalEvery: 4, warmupSteps: 0, seed: 3 });
let parent: TrainedRun;

const values = async (run: { model: tf.LayersModel }, graph: Graph, id: string): Promise<Float32Array[]> =>
  Promise.all(
    (nodeWeights(run.model, graph, shakespeare.binding).get(id) ?? []).map(
      async (w) => (await w.variable.read().data()) as Float32Array,
    ),
  );

beforeAll(async () => {
  await tf.setBackend('cpu');
  parent = await trainRun({ graph: lm(), data: shakespeare, config, backend: 'cpu', emit: () => {}, id: 'parent-run', yieldToHost: async () => {} });
});
afterAll(() => parent.model.dispose());

describe('starting a run from a trained one', () => {
  it('loads weights by node id where type and shapes match, and reports new and refused nodes exactly', async () => {
    // block's feed-forward is wider (shapes differ), the head is a new node, so only emb and pos can load.
    const graph = makeGraph(
      [...lm(2).nodes.filter((n) => n.id !== 'head'), makeNode('NextTokenHead', {}, 'head2')],
      chain('in', 'emb', 'pos', 'block', 'head2'),
    );
    const child = compileForData(graph, shakespeare, 99);
    const report = warmStart(child.model, graph, shakespeare.binding, parent);
    expect(report.nodes.map(({ nodeId, status }) => [nodeId, status])).toEqual([
      ['emb', 'loaded'],
      ['pos', 'loaded'],
      ['block', 'refused'],
      ['head2', 'new'],
    ]);
    expect(report.nodes[2].reason).toBe("block/fc1_kernel is (16, 32) but the parent's is (16, 64)");
    expect(report.nodes[3].reason).toBe('not in the parent');
    expect(report.dropped).toEqual(['head']);
    expect(report.parentStep).toBe(4);
    expect(await values({ model: child.model }, graph, 'emb')).toEqual(await values(parent, lm(), 'emb'));
    const [mine] = await values({ model: child.model }, graph, 'head2');
    const [theirs] = await values(parent, lm(), 'head');
    expect(Array.from(mine)).not.toEqual(Array.from(theirs));
    child.model.dispose();
  });

  it('a tied head owns no weights: the Embedding carries them, and an untied head under the same id is refused', () => {
    const tied = (tie: boolean): Graph =>
      makeGraph(
        [...lm().nodes.filter((n) => n.id !== 'head'), makeNode('NextTokenHead', { tieEmbedding: tie }, 'head')],
        chain('in', 'emb', 'pos', 'block', 'head'),
      );
    const parentModel = compileForData(tied(true), shakespeare, 5).model;
    const tiedParent = { manifest: { ...parent.manifest, graph: tied(true) }, model: parentModel };
    const same = compileForData(tied(true), shakespeare, 6);
    expect(warmStart(same.model, tied(true), shakespeare.binding, tiedParent).nodes.map((n) => n.nodeId)).toEqual(['emb', 'pos', 'block']);
    const untied = compileForData(tied(false), shakespeare, 6);
    const head = warmStart(untied.model, tied(false), shakespeare.binding, tiedParent).nodes.find((n) => n.nodeId === 'head');
    expect(head).toMatchObject({ status: 'refused', reason: "the parent's has no weights of its own (a tied head reuses the Embedding's)" });
    [parentModel, same.model, untied.model].forEach((m) => m.dispose());
  });

  it('with strict, a refused node is one sentence naming it and its reason, and nothing is copied', async () => {
    const graph = lm(2);
    const child = compileForData(graph, shakespeare, 99);
    const before = await values({ model: child.model }, graph, 'emb');
    expect(() => warmStart(child.model, graph, shakespeare.binding, parent, true)).toThrow(WarmStartError);
    try {
      warmStart(child.model, graph, shakespeare.binding, parent, true);
    } catch (e) {
      expect((e as Error).message).toMatch(/^--strict: node "block" \(TransformerBlock\) cannot take the weights of "Tiny LM": .+ is \(16, 32\) but the parent's is \(16, 64\)\.$/);
    }
    expect(await values({ model: child.model }, graph, 'emb')).toEqual(before);
    child.model.dispose();
  });

  it('frozen nodes stay bit-identical through training, weight decay included; the others move', async () => {
    const graph = lm();
    const run = await trainRun({
      graph,
      data: shakespeare,
      config: withTrainDefaults({ ...config, steps: 3, weightDecay: 0.5, learningRate: 1e-2 }),
      backend: 'cpu',
      emit: () => {},
      parent,
      freeze: ['emb', 'block'],
      yieldToHost: async () => {},
    });
    for (const id of ['emb', 'block']) {
      const a = await values(run, graph, id);
      const b = await values(parent, graph, id);
      a.forEach((x, i) => expect(Buffer.from(x.buffer).equals(Buffer.from(b[i].buffer))).toBe(true));
    }
    const [moved] = await values(run, graph, 'head');
    const [orig] = await values(parent, graph, 'head');
    expect(Buffer.from(moved.buffer).equals(Buffer.from(orig.buffer))).toBe(false);
    expect(run.manifest.parent).toEqual({
      runId: 'parent-run',
      name: 'Tiny LM',
      step: 4,
      loaded: ['emb', 'pos', 'block', 'head'],
      refused: [],
      frozen: ['emb', 'block'],
    });
    run.model.dispose();
  });

  it('freezing everything, or a node the graph lacks, is refused with one sentence', async () => {
    const base = { graph: lm(), data: shakespeare, config, backend: 'cpu', emit: () => {}, parent };
    await expect(trainRun({ ...base, freeze: ['all-but-head', 'head'] })).rejects.toThrow(
      /^Every weight of "Tiny LM" is frozen; unfreeze at least one block to train\.$/,
    );
    await expect(trainRun({ ...base, freeze: ['blok'] })).rejects.toThrow(FreezeError);
  });

  it('the lineage survives saving, reopening and a bundle, and chains parent → child', async () => {
    const child = await trainRun({
      graph: lm(),
      data: shakespeare,
      config,
      backend: 'cpu',
      emit: () => {},
      id: 'child-run',
      parent,
      freeze: ['all-but-head'],
      yieldToHost: async () => {},
    });
    const files = await runFiles(child, shakespeare);
    const reopened = await loadRun(unpackBundle(packBundle(files), 'child.wordloom'), 'child.wordloom');
    expect(reopened.manifest.parent).toEqual(child.manifest.parent);
    expect(reopened.manifest.parent?.frozen).toEqual(['in', 'emb', 'pos', 'block']);
    const chains = lineageChains([reopened.manifest, parent.manifest, { id: 'other', name: 'x' }]);
    expect(chains.map((c) => c.map((r) => r.id))).toEqual([['parent-run', 'child-run']]);
    reopened.model.dispose();
    child.model.dispose();
  });
});
