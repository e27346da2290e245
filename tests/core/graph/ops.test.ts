import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../core/graph/model';
import * as ops from '../../../core/graph/ops';
import * as edges from '../../../core/shapes/connect';
import { inferGraph } from '../../../core/shapes/infer';
import { chain, makeGraph, makeNode } from '../../builders';
import { BINDING, fakeRegistry } from '../shapes/fake-catalog';

const R = fakeRegistry;

/** Freezes every object in the graph, so a mutation throws (ESM code is strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** in → emb → head, plus an unwired pool and classifier head. */
const base = (): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 8 }, 'in'),
      makeNode('Embedding', { dim: 4 }, 'emb'),
      makeNode('NextTokenHead', {}, 'head'),
      makeNode('MeanPool', {}, 'pool'),
      makeNode('Embedding', { dim: 4 }, 'emb2'),
    ],
    chain('in', 'emb', 'head'),
  );

describe('graph ops are pure', () => {
  it('never mutate the graph they are given', () => {
    const g = deepFreeze(base());
    const before = structuredClone(g);
    const results = [
      ops.addNode(g, 'Dense', { x: 1, y: 2 }, {}, R),
      ops.removeNodes(g, ['emb']),
      ops.removeEdges(g, ['e1']),
      ops.disconnect(g, { node: 'in', port: 'out' }, { node: 'emb', port: 'in' }),
      ops.setParam(g, 'emb', 'dim', 9),
      ops.moveNodes(g, { emb: { x: 5, y: 6 } }),
      ops.renameGraph(g, 'New'),
      ops.duplicate(g, ['in', 'emb']),
      ops.paste(g, ops.copyFragment(g, ['emb']), { x: 1, y: 1 }),
    ];
    const c = edges.connect(g, { node: 'emb', port: 'out' }, { node: 'pool', port: 'in' }, BINDING, R);
    expect(g).toEqual(before);
    for (const r of results) expect(r).not.toBe(g);
    expect('graph' in c && c.graph).not.toBe(g);
  });
});

describe('addNode', () => {
  it('gives fresh readable ids from the type and fills default params', () => {
    let g = makeGraph([makeNode('Dense', {}, 'dense_1')]);
    g = ops.addNode(g, 'Dense', { x: 10, y: 20 }, { units: 8 }, R);
    g = ops.addNode(g, 'NextTokenHead', { x: 0, y: 0 }, {}, R);
    expect(g.nodes.map((n) => n.id)).toEqual(['dense_1', 'dense_2', 'next_token_head_1']);
    expect(g.nodes[1]).toEqual({
      id: 'dense_2',
      type: 'Dense',
      params: { units: 8, activation: 'relu' },
      position: { x: 10, y: 20 },
      typeVersion: 1,
    });
  });

  it('adds a node of unknown type with the params given (inference reports the type)', () => {
    const g = ops.addNode(makeGraph([]), 'LSTM', { x: 0, y: 0 }, { units: 3 }, R);
    expect(g.nodes[0]).toMatchObject({ id: 'lstm_1', type: 'LSTM', params: { units: 3 } });
  });
});

describe('removing', () => {
  it('removeNodes drops the nodes and every edge touching them', () => {
    const g = ops.removeNodes(base(), ['emb']);
    expect(g.nodes.map((n) => n.id)).toEqual(['in', 'head', 'pool', 'emb2']);
    expect(g.edges).toEqual([]);
  });

  it('removeEdges and disconnect remove only the named edges', () => {
    expect(ops.removeEdges(base(), ['e2']).edges.map((e) => e.id)).toEqual(['e1']);
    const g = ops.disconnect(base(), { node: 'emb', port: 'out' }, { node: 'head', port: 'in' });
    expect(g.edges.map((e) => e.id)).toEqual(['e1']);
  });
});

describe('connect', () => {
  it('adds an edge with a fresh id', () => {
    const r = edges.connect(base(), { node: 'emb', port: 'out' }, { node: 'pool', port: 'in' }, BINDING, R);
    if (!('graph' in r)) throw new Error(r.error);
    expect(r.edgeId).toBe('e3');
    expect(r.graph.edges.at(-1)).toEqual({
      id: 'e3',
      from: { node: 'emb', port: 'out' },
      to: { node: 'pool', port: 'in' },
    });
  });

  const refusals: [string, [string, string], [string, string], RegExp][] = [
    ['an unknown node', ['ghost', 'out'], ['pool', 'in'], /no node "ghost"/],
    ['an unknown input port', ['emb', 'out'], ['pool', 'x'], /MeanPool "pool" has no input "x"; its inputs are in\./],
    ['a port that is not an output', ['emb', 'in'], ['pool', 'in'], /not an output/],
    ['an input that already has an edge', ['emb2', 'out'], ['head', 'in'], /"head"\.in already has an edge from "emb"/],
    ['a self-loop', ['pool', 'out'], ['pool', 'in'], /cannot feed itself/],
    ['a cycle', ['head', 'out'], ['emb', 'in'], /would make a cycle/],
    [
      'incompatible port types',
      ['emb', 'out'],
      ['emb2', 'in'],
      /^Embedding "emb2"\.in takes tokens, but "emb" gives a sequence\.$/,
    ],
  ];
  it.each(refusals)('refuses %s with one sentence', (_name, [fn, fp], [tn, tp], message) => {
    const g = base();
    // For the cycle case, free emb's input first so only the cycle is wrong.
    const graph = _name === 'a cycle' ? ops.removeEdges(g, ['e1']) : g;
    const r = edges.connect(graph, { node: fn, port: fp }, { node: tn, port: tp }, BINDING, R);
    expect(r).toEqual({ error: expect.stringMatching(message) });
  });

  it('uses inference for the output type: "pool" gives a vector, which a head for sequences refuses', () => {
    let g = ops.removeEdges(base(), ['e2']);
    const r = edges.connect(g, { node: 'emb', port: 'out' }, { node: 'pool', port: 'in' }, BINDING, R);
    if (!('graph' in r)) throw new Error(r.error);
    g = r.graph;
    expect(edges.canConnect(g, { node: 'pool', port: 'out' }, { node: 'head', port: 'in' }, BINDING, R)).toBe(
      'NextTokenHead "head".in takes a sequence, but "pool" gives a vector.',
    );
  });
});

describe('setParam, moveNodes, renameGraph', () => {
  it('setParam stores an invalid value as given; inference flags it', () => {
    const g = ops.setParam(base(), 'emb', 'dim', -3);
    expect(g.nodes[1].params.dim).toBe(-3);
    const d = inferGraph(g, BINDING, R).diagnostics.filter((x) => x.code === 'bad-param');
    expect(d).toEqual([expect.objectContaining({ code: 'bad-param', nodeId: 'emb', param: 'dim' })]);
  });

  it('moveNodes moves only the named nodes; renameGraph renames', () => {
    const g = ops.renameGraph(ops.moveNodes(base(), { emb: { x: 3, y: 4 }, ghost: { x: 1, y: 1 } }), 'Renamed');
    expect(g.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 3, y: 4 },
      { x: 0, y: 0 },
      { x: 0, y: 0 },
      { x: 0, y: 0 },
    ]);
    expect(g.name).toBe('Renamed');
  });
});

describe('copy, paste and duplicate', () => {
  it('pastes with fresh ids, offset positions and internal edges remapped; edges leaving the selection are dropped', () => {
    const g = ops.moveNodes(base(), { emb: { x: 100, y: 50 } });
    const fragment = ops.copyFragment(g, ['emb', 'head']);
    expect(fragment.edges.map((e) => e.id)).toEqual(['e2']); // e1 comes from outside
    const pasted = ops.paste(g, fragment, { x: 10, y: 20 });
    const added = pasted.nodes.slice(g.nodes.length);
    expect(added.map((n) => n.id)).toEqual(['embedding_1', 'next_token_head_1']);
    expect(added[0]).toMatchObject({ type: 'Embedding', params: { dim: 4 }, position: { x: 110, y: 70 } });
    expect(pasted.edges.slice(g.edges.length)).toEqual([
      { id: 'e3', from: { node: 'embedding_1', port: 'out' }, to: { node: 'next_token_head_1', port: 'in' } },
    ]);
  });

  it('duplicate twice never reuses an id, and the copy does not share objects with the original', () => {
    const once = ops.duplicate(base(), ['emb']);
    const twice = ops.duplicate(once, ['emb']);
    const ids = twice.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(twice.nodes.at(-1)?.params).not.toBe(base().nodes[1].params);
    const copy = ops.copyFragment(base(), ['emb']);
    copy.nodes[0].params.dim = 99;
    expect(base().nodes[1].params.dim).toBe(4);
  });

  it('remapFragment tells the new ids before pasting', () => {
    const g = base();
    const f = ops.remapFragment(g, ops.copyFragment(g, ['in']), { x: 0, y: 0 });
    expect(f.nodes[0].id).toBe('token_input_1');
    expect(ops.paste(g, ops.copyFragment(g, ['in']), { x: 0, y: 0 }).nodes.at(-1)?.id).toBe('token_input_1');
  });
});
