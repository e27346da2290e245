import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraphText, serializeGraph } from '../../../core/graph/io';
import * as edges from '../../../core/shapes/connect';
import * as ops from '../../../core/graph/ops';
import { NODE_DEFS } from '../../../core/nodes/index';
import { DEFAULT_BINDING, inferGraph } from '../../../core/shapes/infer';
import { chain, makeGraph, makeNode } from '../../builders';

/** Inference and ops against the real node catalog (core/nodes), not the fakes. */
const errors = (g: ReturnType<typeof makeGraph>) =>
  inferGraph(g, DEFAULT_BINDING).diagnostics.filter((d) => d.severity === 'error');

describe('with the real node catalog', () => {
  it('has the catalog registered', () => {
    expect(NODE_DEFS.map((d) => d.type)).toEqual(
      expect.arrayContaining(['TokenInput', 'Embedding', 'Add', 'MeanPool', 'NextTokenHead']),
    );
  });

  it('deleting the Embedding a tied head uses names the broken tie, not only the unconnected input', () => {
    const g = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 32 }, 'in'),
        makeNode('Embedding', { dim: 64 }, 'emb'),
        makeNode('TransformerBlock', { heads: 4 }, 'block'),
        makeNode('NextTokenHead', { tieEmbedding: true }, 'head'),
      ],
      chain('in', 'emb', 'block', 'head'),
    );
    expect(errors(g)).toEqual([]);
    const broken = errors(ops.removeNodes(g, ['emb'])).map((d) => d.message);
    expect(broken).toContainEqual(expect.stringMatching(/"head".*tieEmbedding.*no Embedding \(was it deleted\?\)/));
    expect(broken.some((m) => m.includes('"block"') && /not connected|unconnected|needs an input/i.test(m))).toBe(true);
    // Untied, the same deletion reports only the wiring.
    const untied = ops.setParam(ops.removeNodes(g, ['emb']), 'head', 'tieEmbedding', false);
    expect(errors(untied).some((d) => d.message.includes('tieEmbedding'))).toBe(false);
  });

  it('an Add of [64, 128] and [64, 64] names the Add node', () => {
    const g = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 64 }, 'in'),
        makeNode('Embedding', { dim: 128 }, 'emb'),
        makeNode('Dense', { units: 64 }, 'proj'),
        makeNode('Add', {}, 'residual'),
        makeNode('NextTokenHead', {}, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'proj'],
        ['emb', 'residual.a'],
        ['proj', 'residual.b'],
        ['residual', 'head'],
      ],
    );
    const errs = errors(g);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ code: 'shape-mismatch', nodeId: 'residual', port: 'b' });
    expect(errs[0].message).toContain('Add "residual".b');
    expect(errs[0].message).toContain('[64, 128]');
  });

  it('an Embedding fed a vector is a port-type error on that edge', () => {
    const g = makeGraph(
      [
        makeNode('TokenInput', {}, 'in'),
        makeNode('Embedding', {}, 'e0'),
        makeNode('MeanPool', {}, 'pool'),
        makeNode('Embedding', {}, 'emb'),
        makeNode('ClassifierHead', {}, 'cls'),
      ],
      [
        ['in', 'e0'],
        ['e0', 'pool'],
        ['pool', 'emb'],
        ['emb', 'cls'],
      ],
    );
    expect(errors(g)).toEqual([
      expect.objectContaining({
        code: 'port-type',
        edgeId: 'e3',
        nodeId: 'emb',
        message: 'Embedding "emb".in takes tokens, but "pool" gives a vector.',
      }),
    ]);
  });

  it('builds a valid LM with the ops and canConnect refuses a wrong wire', () => {
    let g = makeGraph([]);
    g = ops.addNode(g, 'TokenInput', { x: 0, y: 0 });
    g = ops.addNode(g, 'Embedding', { x: 200, y: 0 });
    g = ops.addNode(g, 'LSTM', { x: 400, y: 0 });
    g = ops.addNode(g, 'NextTokenHead', { x: 600, y: 0 });
    expect(g.nodes.map((n) => n.id)).toEqual(['token_input_1', 'embedding_1', 'lstm_1', 'next_token_head_1']);
    expect(edges.canConnect(g, { node: 'token_input_1', port: 'out' }, { node: 'lstm_1', port: 'in' })).toMatch(
      /^LSTM "lstm_1"\.in takes .*, but "token_input_1" gives tokens\.$/,
    );
    for (const [a, b] of chain('token_input_1', 'embedding_1', 'lstm_1', 'next_token_head_1')) {
      const r = edges.connect(g, { node: a, port: 'out' }, { node: b, port: 'in' });
      if (!('graph' in r)) throw new Error(r.error);
      g = r.graph;
    }
    const a = inferGraph(g, DEFAULT_BINDING);
    expect(a.diagnostics).toEqual([]);
    expect(a.task).toBe('next-token');
    expect(a.nodes.next_token_head_1.out).toEqual({ type: 'logits', shape: [64, 67] });
  });

  const templates = readdirSync(new URL('../../../templates/', import.meta.url)).filter((f) => f.endsWith('.json'));
  it.each(templates)('template %s parses, infers cleanly and round-trips', (file) => {
    const text = readFileSync(new URL(`../../../templates/${file}`, import.meta.url), 'utf8');
    const { graph, diagnostics } = parseGraphText(text, file);
    expect(diagnostics).toEqual([]);
    if (!graph) throw new Error('no graph');
    expect(inferGraph(graph, DEFAULT_BINDING).diagnostics).toEqual([]);
    expect(parseGraphText(serializeGraph(graph), file).graph).toEqual(graph);
  });
});
