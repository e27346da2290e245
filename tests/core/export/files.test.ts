import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../../core/export/bundle';
import { graphSvg } from '../../../core/export/graph-svg';
import { metricsCsv } from '../../../core/export/metrics-csv';
import { architectureOf, median, runSummary } from '../../../core/export/summary';
import type { RunManifest } from '../../../core/run/manifest';
import { unpackBundle } from '../../../core/run/files';
import { inferGraph } from '../../../core/shapes/infer';
import { withTrainDefaults } from '../../../core/train/protocol';
import { makeGraph, makeNode } from '../../builders';
import { loadTemplate } from '../templates/load-templates';

function manifest(over: Partial<RunManifest> = {}): RunManifest {
  return {
    format: 'wordloom-run',
    version: 1,
    id: 'run-1',
    name: 'Mini GPT',
    createdAt: '2026-01-01T00:00:00.000Z',
    graph: loadTemplate('mini-gpt.json'),
    data: { source: 'shakespeare', task: 'next-token', promptCompletion: false, valFraction: 0.1 },
    tokenizer: 'char',
    labels: [],
    binding: { vocabSize: 65, numClasses: 2 },
    seqLen: 64,
    training: withTrainDefaults({ steps: 3 }),
    backend: 'wasm',
    attention: [],
    totals: { params: 800_000, flopsPerToken: 1_600_000 },
    metrics: {
      steps: [
        { step: 1, loss: 4.2, lr: 0.001, tokensPerSec: 900, elapsed: 0.5, tokens: 256 },
        { step: 2, loss: 3.9, lr: 0.002, tokensPerSec: 1000, elapsed: 1, tokens: 512 },
        { step: 3, loss: 3.5, lr: 0.003, tokensPerSec: 1500, elapsed: 1.5, tokens: 768 },
      ],
      evals: [
        { step: 0, valLoss: 4.3, elapsed: 0 },
        { step: 2, valLoss: 3.8, perplexity: 44.7, elapsed: 1.1 },
        { step: 3, valLoss: 3.95, perplexity: 51.9, elapsed: 1.6 },
      ],
    },
    result: { steps: 3, trainLoss: 3.5, valLoss: 3.95, seconds: 1.7, stopped: false },
    ...over,
  };
}

describe('graphSvg', () => {
  const graph = loadTemplate('mini-gpt.json');
  const svg = graphSvg(graph, inferGraph(graph, { vocabSize: 65, numClasses: 2 }));

  it('draws a box per node with type, id and output shape, and an arrow per edge', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node"/g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(graph.edges.length);
    for (const n of graph.nodes) {
      expect(svg).toContain(`data-id="${n.id}"`);
      expect(svg).toContain(`>${n.type}</text>`);
    }
    expect(svg).toContain('>sequence [64, 128]</text>');
    expect(svg).toContain('>logits [64, 65]</text>');
  });

  it('places nodes where the canvas did, left to right, and arrows from right edge to left edge', () => {
    for (const n of graph.nodes)
      expect(svg).toContain(`data-id="${n.id}"><rect x="${n.position.x}" y="${n.position.y}"`);
    const [first, second] = graph.nodes;
    expect(svg).toContain(`M${first.position.x + 168},${first.position.y + 32} `);
    expect(svg).toMatch(new RegExp(` ${second.position.x},${second.position.y + 32}" fill="none"`));
  });

  it('escapes names and spreads a graph that was never laid out', () => {
    const g = makeGraph(
      [makeNode('TokenInput', {}, 'a<b'), makeNode('Embedding', {}, 'c&d')],
      [['a<b', 'c&d']],
      'R&D <1>',
    );
    const out = graphSvg(g);
    expect(out).toContain('<title>R&amp;D &lt;1&gt;</title>');
    expect(out).toContain('data-id="a&lt;b"><rect x="0"');
    expect(out).toContain('data-id="c&amp;d"><rect x="216"');
    expect(out.replace(/&(amp|lt|gt|quot);/g, '')).not.toMatch(/&/);
    expect(out).not.toContain('fill="#1a73e8"'); // no shape line without an analysis
  });
});

describe('metricsCsv', () => {
  it('has one row per step, validation columns on the evaluated steps, and a row for an eval before step 1', () => {
    expect(metricsCsv(manifest())).toBe(
      [
        'step,loss,lr,tokensPerSec,elapsed,tokens,valLoss,valAccuracy,perplexity',
        '0,,,,0,,4.3,,',
        '1,4.2,0.001,900,0.5,256,,,',
        '2,3.9,0.002,1000,1,512,3.8,,44.7',
        '3,3.5,0.003,1500,1.5,768,3.95,,51.9',
        '',
      ].join('\n'),
    );
  });
});

describe('runSummary', () => {
  it('folds repeated node types and takes the median speed and the best validation loss', () => {
    const s = runSummary(manifest());
    expect(s.architecture).toBe(
      'TokenInput → Embedding → PositionalEncoding → TransformerBlock×4 → LayerNorm → NextTokenHead',
    );
    expect(s).toMatchObject({ params: 800_000, flopsPerToken: 1_600_000, tokensPerSec: 1000, backend: 'wasm' });
    expect(s).toMatchObject({ bestValLoss: 3.8, perplexity: 44.7, seconds: 1.7, steps: 3 });
    expect(s.valAccuracy).toBeUndefined();
  });

  it('gives classifiers their accuracy at the best loss, and perplexity from the loss when none was recorded', () => {
    const evals = [
      { step: 1, valLoss: 0.7, valAccuracy: 0.55, elapsed: 1 },
      { step: 2, valLoss: 0.5, valAccuracy: 0.71, elapsed: 2 },
    ];
    const cls = runSummary(
      manifest({
        data: { source: 'sentiment', task: 'classify', promptCompletion: false, valFraction: 0.1 },
        metrics: { steps: [], evals },
      }),
    );
    expect(cls).toMatchObject({ bestValLoss: 0.5, valAccuracy: 0.71, tokensPerSec: null });
    expect(cls.perplexity).toBeUndefined();
    const lm = runSummary(manifest({ metrics: { steps: [], evals: [{ step: 1, valLoss: 2, elapsed: 1 }] } }));
    expect(lm.perplexity).toBeCloseTo(Math.exp(2), 10);
  });

  it('median and architecture edge cases', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    const g = makeGraph([makeNode('Add', {}, 'b'), makeNode('TokenInput', {}, 'a')], [['a', 'b.a']]);
    expect(architectureOf(g)).toBe('TokenInput → Add');
  });
});

describe('exportBundle', () => {
  it('is one <name>.wordloom file that unpacks to the same files', () => {
    const files = {
      'run.json': strToU8(JSON.stringify({ name: 'My LSTM: v2!' })),
      'weights.bin': new Uint8Array([1, 2, 3]),
    };
    const out = exportBundle(files);
    expect(Object.keys(out)).toEqual(['my-lstm-v2.wordloom']);
    expect(unpackBundle(out['my-lstm-v2.wordloom'], 'x')).toEqual(files);
  });
});
