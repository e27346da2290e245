import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../core/compile/compile';
import { copyExpandedWeights } from '../../../core/compile/expand-weights';
import { compositeOf, expandNode, type Expansion } from '../../../core/shapes/expand';
import { createGroup } from '../../../core/graph/groups';
import type { Graph } from '../../../core/graph/model';
import type { Binding } from '../../../core/nodes/define';
import { inferGraph } from '../../../core/shapes/infer';
import { chain, makeGraph, makeNode } from '../../builders';
import { loadTemplate } from '../templates/load-templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BINDING: Binding = { vocabSize: 65, numClasses: 2 };

const expanded = (graph: Graph, id: string): Expansion => {
  const r = expandNode(graph, id, BINDING);
  if ('error' in r) throw new Error(r.error);
  return r;
};

const compile = (graph: Graph) => {
  const r = compileGraph(graph, BINDING);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.model;
};

/** Seeded weights at a moderate scale, so float32 agreement means something through a deep stack. */
function seedWeights(model: tf.LayersModel, seed: number): void {
  model.weights.forEach((w, i) => {
    const value = tf.randomUniform(w.shape as number[], -0.25, 0.25, 'float32', seed + i);
    w.write(value);
    value.dispose();
  });
}

/** Two windows of a T = 64 model: one full, one right-padded after 40 tokens. */
const batch = (seqLen: number) =>
  [0, 1].map((row) =>
    Array.from({ length: seqLen }, (_, i) => (row === 1 && i >= 40 ? 0 : 1 + ((i * 31 + row * 17) % 64))),
  );

/** Logits of `before` and of its expansion with the block's weights moved over; both models disposed. */
function logitsBoth(
  before: Graph,
  expansion: Expansion,
  seqLen: number,
): { diff: number; scale: number; copied: number } {
  const a = compile(before);
  seedWeights(a, 7);
  const b = compile(expansion.graph);
  const copied = copyExpandedWeights(
    { model: a, graph: before },
    { model: b, graph: expansion.graph },
    expansion,
    BINDING,
  );
  const out = tf.tidy(() => {
    const x = tf.tensor2d(batch(seqLen), undefined, 'int32');
    const ya = a.predict(x) as tf.Tensor;
    const yb = b.predict(x) as tf.Tensor;
    return [tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0], tf.max(tf.abs(ya)).dataSync()[0]];
  });
  a.dispose();
  b.dispose();
  return { diff: out[0], scale: out[1], copied };
}

/** A post-norm, non-causal block with dropout: every branch of the composite. */
const postNormLm = (): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 64 }, 'in'),
      makeNode('Embedding', { dim: 32 }, 'emb'),
      makeNode('PositionalEncoding', { kind: 'sinusoidal' }, 'pos'),
      makeNode('TransformerBlock', { heads: 2, ffMultiplier: 3, causal: false, dropout: 0.1, norm: 'post' }, 'tb'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'pos', 'tb', 'head'),
  );

describe('Expand into blocks', () => {
  it('replaces a pre-norm TransformerBlock by LayerNorm → SelfAttention → Add → LayerNorm → FeedForward → Add', () => {
    const g = loadTemplate('mini-gpt.json');
    const x = expanded(g, 'block2');
    const types = Object.values(x.ids).map((id) => x.graph.nodes.find((n) => n.id === id)?.type);
    expect(types).toEqual(['LayerNorm', 'SelfAttention', 'Add', 'LayerNorm', 'FeedForward', 'Add']);
    expect(x.graph.nodes.some((n) => n.id === 'block2')).toBe(false);
    const wire = (to: string, port = 'in') =>
      x.graph.edges.find((e) => e.to.node === to && e.to.port === port)?.from.node;
    // The residuals: x + attn(ln1(x)), then h + ff(ln2(h)); block1 feeds both ln1 and the first sum.
    expect([wire('block2_ln1'), wire('block2_attn'), wire('block2_add1', 'a'), wire('block2_add1', 'b')]).toEqual([
      'block1',
      'block2_ln1',
      'block1',
      'block2_attn',
    ]);
    expect([wire('block2_ln2'), wire('block2_ff'), wire('block2_add2', 'a'), wire('block2_add2', 'b')]).toEqual([
      'block2_add1',
      'block2_ln2',
      'block2_add1',
      'block2_ff',
    ]);
    expect(wire('block3')).toBe('block2_add2');
    expect(x.graph.nodes.find((n) => n.id === 'block2_ff')?.params).toEqual({ hidden: 512, activation: 'gelu' });
  });

  it('keeps the parameter total, the output shape, and a clean analysis', () => {
    for (const [g, id] of [
      [loadTemplate('mini-gpt.json'), 'block1'],
      [postNormLm(), 'tb'],
    ] as const) {
      const before = inferGraph(g, BINDING);
      const after = inferGraph(expanded(g, id).graph, BINDING);
      expect(after.diagnostics).toEqual([]);
      expect(after.totals.params).toBe(before.totals.params);
      expect(after.nodes['head']?.out).toEqual(before.nodes['head']?.out);
    }
  });

  it('gives the same logits with the same weights (Mini GPT, one block and then all four)', () => {
    const g = loadTemplate('mini-gpt.json');
    const one = expanded(g, 'block3');
    const r = logitsBoth(g, one, 64);
    expect(r.scale).toBeGreaterThan(0.1); // the comparison is not between two near-zero outputs
    expect(r.diff).toBeLessThan(1e-4);
    expect(r.copied).toBe(inferGraph(g, BINDING).totals.params);

    // Expanding an already-expanded graph again, block by block, is exact too.
    let graph = g;
    let last: Expansion | undefined;
    for (const id of ['block1', 'block2', 'block3', 'block4']) {
      last = expanded(graph, id);
      graph = last.graph;
    }
    expect(graph.nodes.filter((n) => n.type === 'TransformerBlock')).toEqual([]);
    expect(inferGraph(graph, BINDING).totals.params).toBe(inferGraph(g, BINDING).totals.params);
  });

  it('gives the same logits for a post-norm, non-causal block with dropout (inference)', () => {
    const g = postNormLm();
    const x = expanded(g, 'tb');
    const order = Object.keys(x.ids);
    expect(order).toEqual(['attn', 'add1', 'ln1', 'ff', 'drop', 'add2', 'ln2']);
    expect(x.graph.nodes.find((n) => n.id === 'tb_drop')?.params).toEqual({ rate: 0.1 });
    expect(x.graph.nodes.find((n) => n.id === 'tb_attn')?.params).toEqual({ heads: 2, causal: false, dropout: 0.1 });
    const r = logitsBoth(g, x, 64);
    expect(r.scale).toBeGreaterThan(0.1);
    expect(r.diff).toBeLessThan(1e-4);
  });

  it('does not leak tensors', () => {
    const g = postNormLm();
    const x = expanded(g, 'tb');
    logitsBoth(g, x, 64); // warm-up: tf.js caches a few tensors on first use
    const start = tf.memory().numTensors;
    logitsBoth(g, x, 64);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('moves nodes to the right of the block over, and keeps a group holding the block', () => {
    const g = loadTemplate('mini-gpt.json');
    const grouped = createGroup(g, ['block1', 'block2'], 'Early layers');
    if ('error' in grouped) throw new Error(grouped.error);
    const x = expanded(grouped.graph, 'block1');
    const at = (graph: Graph, id: string) => graph.nodes.find((n) => n.id === id)?.position.x ?? NaN;
    expect(at(x.graph, 'block2') - at(g, 'block2')).toBe(5 * 240);
    expect(at(x.graph, 'emb')).toBe(at(g, 'emb'));
    expect(x.graph.groups?.[0].nodes).toEqual([...Object.values(x.ids), 'block2']);
  });

  it('says why a block cannot be opened, in one sentence naming it', () => {
    const g = loadTemplate('mini-gpt.json');
    expect(compositeOf(g, 'ln', BINDING)).toEqual({
      error: 'LayerNorm "ln" is a single block; there is nothing inside to open.',
    });
    const loose = makeGraph([makeNode('TransformerBlock', {}, 'tb')]);
    expect(expandNode(loose, 'tb', BINDING)).toEqual({
      error: 'Connect TransformerBlock "tb".in to a block with a known shape first: what is inside depends on it.',
    });
  });
});

describe('Expand into blocks, on a laid-out canvas', () => {
  it('moves only the nodes to the right of the block on its row', () => {
    const g = loadTemplate('mini-gpt.json');
    const grid: Graph = {
      ...g,
      nodes: g.nodes.map((n, i) => ({ ...n, position: { x: (i % 3) * 240, y: Math.floor(i / 3) * 160 } })),
    };
    // Row 2 is block1, block2, block3; block2 sits in the middle.
    const x = expanded(grid, 'block2');
    const at = (graph: Graph, id: string) => graph.nodes.find((n) => n.id === id)?.position;
    expect(at(x.graph, 'block3')).toEqual({ x: 480 + 5 * 240, y: 160 });
    expect(at(x.graph, 'pos')).toEqual(at(grid, 'pos'));
    expect(at(x.graph, 'head')).toEqual(at(grid, 'head'));
    expect(at(x.graph, 'block2_add2')).toEqual({ x: 240 + 5 * 240, y: 160 });
  });
});

describe('Expand into blocks, hostile ids', () => {
  it('a block whose id is an Object.prototype name expands, keeps its group and its weights', () => {
    const g = postNormLm();
    const renamed: Graph = {
      ...g,
      nodes: g.nodes.map((n) => (n.id === 'tb' ? { ...n, id: 'constructor' } : n)),
      edges: g.edges.map((e) => ({
        ...e,
        from: e.from.node === 'tb' ? { ...e.from, node: 'constructor' } : e.from,
        to: e.to.node === 'tb' ? { ...e.to, node: 'constructor' } : e.to,
      })),
    };
    const grouped = createGroup(renamed, ['pos', 'constructor'], 'G');
    if ('error' in grouped) throw new Error(grouped.error);
    const x = expanded(grouped.graph, 'constructor');
    expect(x.graph.groups?.[0].nodes).toEqual(['pos', ...Object.values(x.ids)]);
    const r = logitsBoth(grouped.graph, x, 64);
    expect(r.diff).toBeLessThan(1e-4);
  });
});
