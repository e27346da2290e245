import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraph, parseGraphText } from '../../../core/graph/io';
import type { Graph } from '../../../core/graph/model';
import {
  futureProjectMessage,
  newProject,
  parseProject,
  parseProjectText,
  serializeProject,
  type Project,
} from '../../../core/project/project';
import { chain, makeGraph, makeNode } from '../../builders';

const template = (name: string): Graph => {
  const { graph } = parseGraphText(readFileSync(new URL(`../../../templates/${name}.json`, import.meta.url), 'utf8'));
  if (!graph) throw new Error(`template ${name} did not parse`);
  return graph;
};

/** A graph as parseGraph returns it (defaults filled), so a round trip can be compared with toEqual. */
const normalized = (graph: Graph): Graph => {
  const parsed = parseGraph(graph).graph;
  if (!parsed) throw new Error('fixture graph did not parse');
  return parsed;
};

const tiny = normalized(
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 8 }, 'in'),
      makeNode('Embedding', { dim: 4 }, 'emb'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'head'),
    'Tiny',
  ),
);

const must = (p: Project | undefined): Project => {
  if (!p) throw new Error('expected a project');
  return p;
};

const withRun = (graph: Graph): Project => ({
  ...newProject(graph, {
    dataset: 'shakespeare',
    tokenizer: 'char',
    steps: 200,
    batchSize: 16,
    learningRate: 0.003,
    warmupSteps: 20,
    seed: 42,
    evalEvery: 50,
  }),
  runs: [
    {
      id: 'run-1',
      name: 'baseline',
      createdAt: '2025-01-02T03:04:05.000Z',
      graph: tiny,
      training: { dataset: 'shakespeare', steps: 2 },
      metrics: {
        steps: [
          { step: 1, loss: 4.2, lr: 0.001 },
          { step: 2, loss: null },
        ],
        evals: [{ step: 2, valLoss: 4.1, valAccuracy: 0.1 }],
      },
      backend: 'cpu',
      weightsRef: 'indexeddb://run-1',
    },
  ],
});

const envelope = (over: Record<string, unknown>): Record<string, unknown> => ({
  format: 'wordloom-project',
  version: 1,
  graph: JSON.parse(JSON.stringify(tiny)),
  training: {},
  runs: [],
  ...over,
});

describe('project files', () => {
  it('round-trips: serialize → parse gives the same project, and serializing again the same text', () => {
    const project = withRun(template('mini-gpt'));
    const text = serializeProject(project);
    const back = parseProjectText(text, 'mini.wordloom.json');
    expect(back.error).toBeUndefined();
    expect(back.project).toEqual(project);
    expect(serializeProject(must(back.project))).toBe(text);
  });

  it('every template survives being saved inside a project', () => {
    for (const name of ['mini-gpt', 'lstm-lm', 'bow-classifier', 'lstm-tagger']) {
      const graph = template(name);
      const back = parseProjectText(serializeProject(newProject(graph)), `${name}.json`);
      expect(back.project?.graph, name).toEqual(graph);
    }
  });

  it('fills missing training and runs, and keeps fields a newer minor release added', () => {
    const { project, error } = parseProject({
      format: 'wordloom-project',
      version: 1,
      graph: tiny,
      extraTop: 'dropped',
      training: { steps: 5, optimizerNote: 'kept' },
    });
    expect(error).toBeUndefined();
    expect(project?.runs).toEqual([]);
    expect(project?.training).toEqual({ steps: 5, optimizerNote: 'kept' });
    expect(serializeProject(must(project))).toContain('"optimizerNote": "kept"');
    expect(serializeProject(must(project))).not.toContain('extraTop');
  });

  it('opens a bare graph file as a project with no runs', () => {
    const { project, error } = parseProjectText(JSON.stringify(tiny), 'tiny.json');
    expect(error).toBeUndefined();
    expect(project?.format).toBe('wordloom-project');
    expect(project?.graph.nodes.map((n) => n.id)).toEqual(['in', 'emb', 'head']);
    expect(project?.runs).toEqual([]);
  });

  it('says a file from a newer Wordloom is from a newer Wordloom', () => {
    expect(parseProject(envelope({ version: 3 })).error).toBe(
      'This project was saved by a newer Wordloom (project version 3); this app reads up to 1.',
    );
    expect(futureProjectMessage(2)).toMatch(/project version 2\); this app reads up to 1\.$/);
  });

  it.each([
    [{ format: 'excalidraw' }, /not a Wordloom project \(its format is "excalidraw"; expected "wordloom-project"\)/],
    [{ format: undefined }, /not a Wordloom project \(it has no "format" field/],
    [{ version: 0 }, /corrupt: version 0 does not exist/],
    [{ version: 1.5 }, /corrupt: version 1.5 does not exist/],
    [{ version: '1' }, /not a Wordloom project/],
    [{ runs: 'none' }, /corrupt: runs: .*array/],
    [{ training: { batchSize: 0 } }, /corrupt: training\.batchSize: /],
    [{ runs: [{ id: 'r1', name: 'x', createdAt: 'now', graph: tiny }] }, /corrupt: runs\.0\.backend: /],
  ])('explains a wrong or corrupt file in one sentence (%j)', (over, message) => {
    const result = parseProject(envelope(over));
    expect(result.project).toBeUndefined();
    expect(result.error).toMatch(message);
  });

  it('rejects data that is not an object', () => {
    for (const input of [null, 42, 'x', [1, 2]]) expect(parseProject(input).error).toMatch(/not a Wordloom project/);
  });

  it('names the line and column of a JSON syntax error, and the file', () => {
    const { error } = parseProjectText(
      '{\n  "format": "wordloom-project",\n  "version": 1,,\n}',
      'broken.wordloom.json',
    );
    expect(error).toMatch(/^broken\.wordloom\.json is not valid JSON: line 3, column 16/);
  });

  it('accepts a byte-order mark', () => {
    expect(parseProjectText(`\uFEFF${serializeProject(newProject(tiny))}`, 'bom.json').project?.graph.name).toBe(
      'Tiny',
    );
  });

  it('reports a broken graph with the graph named, and a broken run graph with the run named', () => {
    expect(parseProject(envelope({ graph: { format: 'wordloom-graph', version: 7, nodes: [] } })).error).toMatch(
      /newer Wordloom \(graph version 7\)/,
    );
    expect(parseProject(envelope({ graph: { format: 'other' } })).error).toMatch(
      /^The project's graph is not a Wordloom graph/,
    );
    const run = { id: 'r2', name: 'wide', createdAt: 'now', backend: 'cpu', graph: { nodes: 'x' } };
    expect(parseProject(envelope({ runs: [run] })).error).toMatch(/^Run "wide" is not a Wordloom graph/);
  });

  it('keeps a node of an unknown type (with a diagnostic) so saving does not destroy it', () => {
    const graph = makeGraph(
      [...tiny.nodes, makeNode('FancyNewBlock', { size: 3 }, 'fancy')],
      chain('in', 'emb', 'head'),
    );
    const { project, diagnostics } = parseProject(envelope({ graph }));
    expect(diagnostics.map((d) => [d.code, d.nodeId])).toContainEqual(['unknown-type', 'fancy']);
    expect(serializeProject(must(project))).toContain('"type": "FancyNewBlock"');
  });

  it('saves a diverged loss (NaN) as null and reads it back', () => {
    const project = withRun(tiny);
    const [run] = project.runs;
    if (!run) throw new Error('fixture has a run');
    run.metrics.steps.push({ step: 3, loss: Number.NaN });
    const back = parseProjectText(serializeProject(project), 'nan.json');
    expect(back.project?.runs[0]?.metrics.steps.at(-1)).toEqual({ step: 3, loss: null });
  });
});
