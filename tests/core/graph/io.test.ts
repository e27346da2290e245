import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraph, parseGraphText, serializeGraph } from '../../../core/graph/io';
import { migrateGraphData } from '../../../core/graph/migrate';
import { inferGraph } from '../../../core/shapes/infer';
import { chain, makeGraph, makeNode } from '../../builders';
import { BINDING, fakeRegistry } from '../shapes/fake-catalog';

const registry = fakeRegistry;
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/graphs/${name}`, import.meta.url), 'utf8');
const envelope = (nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  format: 'wordloom-graph',
  version: 1,
  name: 'g',
  nodes,
  edges,
  ...extra,
});
const node = (id: string, type: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  ...extra,
});

describe('parseGraph', () => {
  it('reads the v1 fixture: defaults filled, extra fields dropped, and it infers cleanly', () => {
    const { graph, diagnostics } = parseGraphText(fixture('v1/mini-classifier.wordloom.json'), 'mini.json', registry);
    expect(diagnostics).toEqual([]);
    expect(graph?.version).toBe(2); // migrated: v2 added groups, of which a v1 file has none
    expect(graph?.groups).toBeUndefined();
    expect(graph?.nodes.map((n) => n.id)).toEqual(['in', 'emb', 'pool', 'dense', 'head']);
    expect(graph?.nodes[1]).toEqual({ id: 'emb', type: 'Embedding', params: { dim: 64 }, position: { x: 200, y: 0 } });
    expect(graph && 'app' in graph).toBe(false);
    expect(graph && inferGraph(graph, BINDING, registry).diagnostics).toEqual([]);
  });

  it('refuses a file from a newer Wordloom with one clear sentence', () => {
    const r = parseGraph({ ...envelope([]), version: 7, nodes: 'whatever a future format holds' }, { registry });
    expect(r.graph).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'future-version',
        message: 'This file was made by a newer Wordloom (graph version 7); this app reads up to 2.',
      }),
    ]);
  });

  it('keeps a node of unknown type (so saving keeps it) and reports it by id', () => {
    const r = parseGraph(envelope([node('in', 'TokenInput'), node('fancy', 'QuantumLayer', { qubits: 3 })]), {
      registry,
    });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'unknown-type', nodeId: 'fancy' })]);
    expect(r.graph?.nodes[1]).toMatchObject({ id: 'fancy', type: 'QuantumLayer', params: { qubits: 3 } });
    expect(serializeGraph(r.graph!)).toContain('"QuantumLayer"');
  });

  it('flags an out-of-range param by node and param, keeping the value as written', () => {
    const r = parseGraph(envelope([node('emb', 'Embedding', { dim: 0 })]), { registry });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'bad-param', nodeId: 'emb', param: 'dim', severity: 'error' }),
    ]);
    expect(r.diagnostics[0].message).toBe('Embedding "emb": dim must be between 1 and 4096, got 0.');
    expect(r.graph?.nodes[0].params.dim).toBe(0);
  });

  it('fills a missing param with its default, and warns about (and drops) a param the type does not have', () => {
    const r = parseGraph(envelope([node('d', 'Dense', { unitz: 8 })]), { registry });
    expect(r.graph?.nodes[0].params).toEqual({ units: 128, activation: 'relu' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', nodeId: 'd', param: 'unitz' })]);
  });

  it('reports a malformed value as a file error naming the node and param', () => {
    const r = parseGraph(envelope([node('emb', 'Embedding', { dim: null })]), { registry, fileName: 'g.json' });
    expect(r.graph).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'bad-file', nodeId: 'emb', param: 'dim' });
    expect(r.diagnostics[0].message).toMatch(
      /^g\.json: node "emb" field "params\.dim": expected a number, true\/false or text\.$/,
    );
  });

  it('evaluates nothing and lets no "__proto__" through', () => {
    const text =
      '{"format":"wordloom-graph","version":1,"name":"x","nodes":[{"id":"a","type":"Dense","params":{"__proto__":{"polluted":true}},"position":{"x":0,"y":0}}],"edges":[]}';
    const r = parseGraphText(text, 'evil.json', registry);
    const params = r.graph?.nodes[0].params ?? {};
    expect(Object.keys(params).sort()).toEqual(['activation', 'units']);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [[1, 2], 'is not a Wordloom graph: expected a JSON object'],
    [{ format: 'something-else', version: 1 }, 'is not a Wordloom graph'],
    [{ format: 'wordloom-graph', version: 'one' }, 'has no valid "version"'],
    [{ format: 'wordloom-graph', version: 1, name: 'x' }, 'nodes'],
  ])('rejects %j with a sentence', (input, text) => {
    const r = parseGraph(input, { registry, fileName: 'f.json' });
    expect(r.graph).toBeUndefined();
    expect(r.diagnostics[0].code).toBe('bad-file');
    expect(r.diagnostics[0].message).toContain(text);
  });

  it('migrates a node written for an older version of its type, when the file says which', () => {
    const r = parseGraph(
      envelope([node('r', 'Renamed', { size: 16 }, { typeVersion: 1 }), node('s', 'Renamed', { units: 4 })]),
      { registry },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.graph?.nodes[0]).toMatchObject({ params: { units: 16 }, typeVersion: 2 });
    expect(r.graph?.nodes[1]).toMatchObject({ params: { units: 4 } }); // no typeVersion: taken as current
  });

  it('reports a node written by a newer version of its type', () => {
    const r = parseGraph(envelope([node('r', 'Renamed', { units: 4 }, { typeVersion: 9 })]), { registry });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'future-version', nodeId: 'r' })]);
  });
});

describe('parseGraphText', () => {
  it('names the file and line of a JSON syntax error in one sentence', () => {
    const text = '{\n  "format": "wordloom-graph",\n  "version": 1,,\n  "nodes": []\n}';
    const r = parseGraphText(text, 'broken.json', registry);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toMatch(/^broken\.json is not valid JSON: line 3, column 16: .+\.$/);
  });

  it('finds the line even when JSON.parse gives no position', () => {
    const text = '{\n  "format": "wordloom-graph",\n  "version": tru\n}';
    const r = parseGraphText(text, 'x.json', registry);
    expect(r.diagnostics[0].message).toMatch(/^x\.json is not valid JSON: line 3, column \d+: unexpected token/);
  });

  it('says an empty file ends too early', () => {
    expect(parseGraphText('', 'empty.json', registry).diagnostics[0].message).toMatch(
      /^empty\.json is not valid JSON: line 1, column 1: unexpected end/,
    );
  });
});

describe('serializeGraph', () => {
  const graph = () =>
    makeGraph(
      [
        makeNode('TokenInput', { seqLen: 16 }, 'in'),
        makeNode('Embedding', { dim: 8 }, 'emb'),
        makeNode('NextTokenHead', { tieEmbedding: true }, 'head'),
      ],
      chain('in', 'emb', 'head'),
      'Round trip',
    );

  it('round-trips: parse(serialize(g)) is g, and serializing again gives the same text', () => {
    const first = parseGraph(JSON.parse(serializeGraph(graph())), { registry });
    expect(first.diagnostics).toEqual([]);
    expect(first.graph).toEqual(graph());
    const text = serializeGraph(first.graph!);
    expect(serializeGraph(parseGraphText(text, 'x', registry).graph!)).toBe(text);
  });

  it('is stable: param insertion order does not change the text', () => {
    const a = makeGraph([makeNode('Dense', { units: 4, activation: 'relu' }, 'd')]);
    const b = makeGraph([makeNode('Dense', { activation: 'relu', units: 4 }, 'd')]);
    expect(serializeGraph(a)).toBe(serializeGraph(b));
    expect(serializeGraph(a).endsWith('}\n')).toBe(true);
  });

  it('writes only the document (no UI state) and keeps typeVersion and description', () => {
    const withUiState = { ...makeNode('Renamed', { units: 2 }, 'r'), typeVersion: 2, selected: true };
    const g = { ...makeGraph([withUiState]), description: 'd' };
    const doc = JSON.parse(serializeGraph(g));
    expect(Object.keys(doc)).toEqual(['format', 'version', 'name', 'description', 'nodes', 'edges']);
    expect(Object.keys(doc.nodes[0])).toEqual(['id', 'type', 'typeVersion', 'params', 'position']);
  });
});

describe('migrateGraphData', () => {
  it('applies one step per version in order', () => {
    const steps = [
      { from: 1, up: (d: Record<string, unknown>) => ({ ...d, edges: [], note: 'v2' }) },
      { from: 2, up: (d: Record<string, unknown>) => ({ ...d, note: `${String(d.note)}→v3` }) },
    ];
    const r = migrateGraphData({ version: 1 }, 1, steps, 3);
    expect(r.data).toEqual({ version: 3, edges: [], note: 'v2→v3' });
  });

  it('treats a missing step as a bug, not a user error', () => {
    expect(() => migrateGraphData({ version: 1 }, 1, [], 2)).toThrow(/No graph file migration from version 1 to 2/);
  });
});
