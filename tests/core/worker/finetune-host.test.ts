import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTrainDefaults } from '../../../core/train/protocol';
import { WorkerHost } from '../../../core/worker/host';
import type { WorkerResponse } from '../../../core/worker/protocol';
import { chain, makeGraph, makeNode } from '../../builders';

const graph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 48 }, 'in'),
    makeNode('Embedding', { dim: 16 }, 'emb'),
    makeNode('PositionalEncoding', {}, 'pos'),
    makeNode('SelfAttention', { heads: 2 }, 'att'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'pos', 'att', 'head'),
  'tiny',
);
const of = <K extends WorkerResponse['kind']>(out: WorkerResponse[], kind: K) =>
  out.filter((m): m is Extract<WorkerResponse, { kind: K }> => m.kind === kind);

describe('WorkerHost fine-tuning', () => {
  it('starts a run from a loaded one (its weights, its tokenizer, frozen nodes) and answers held-out prompts', async () => {
    const out: WorkerResponse[] = [];
    const h = new WorkerHost({
      post: (m) => out.push(m),
      loadBundled: async (file) => readFileSync(join('core/data/bundled', file), 'utf8'),
      throttleMs: 5,
    });
    await h.handle({ kind: 'init', backend: 'cpu' });
    const config = withTrainDefaults({ steps: 4, batchSize: 4, evalEvery: 2, chrfPrompts: 2 });
    await h.handle({ kind: 'start', runId: 'pre', name: 'pre', graph, data: { kind: 'bundled', name: 'shakespeare' }, tokenizer: 'char', config });
    await h.handle({
      kind: 'start',
      runId: 'ft',
      name: 'ft',
      graph,
      data: { kind: 'bundled', name: 'instructions' },
      tokenizer: 'bpe:1000', // ignored: the parent's char tokenizer is reused
      config,
      parent: { runId: 'pre', freeze: ['emb'] },
    });
    expect(of(out, 'error')).toEqual([]);
    const warm = of(out, 'warm-start')[0];
    expect(warm.report.nodes.map((n) => `${n.nodeId}:${n.status}`)).toEqual(['emb:loaded', 'pos:loaded', 'att:loaded', 'head:loaded']);
    expect(of(out, 'prepared').map((p) => p.vocabSize)).toEqual([of(out, 'prepared')[0].vocabSize, of(out, 'prepared')[0].vocabSize]);
    const evals = of(out, 'event').filter((m) => m.runId === 'ft' && m.event.event === 'eval');
    expect(evals.map((m) => (m.event.event === 'eval' ? typeof m.event.chrf : ''))).toEqual(['number', 'number']);
    await h.handle({ kind: 'save', runId: 'ft', requestId: 1 });
    expect(of(out, 'saved')[0].manifest.parent).toMatchObject({ runId: 'pre', step: 4, frozen: ['emb'] });

    await h.handle({ kind: 'held-out', runId: 'ft', requestId: 2, count: 3 });
    const pairs = of(out, 'held-out')[0].pairs;
    expect(pairs).toHaveLength(3);
    for (const p of pairs) {
      expect(p.prompt.length).toBeGreaterThan(0);
      expect(p.reference.length).toBeGreaterThan(0);
      expect(typeof p.answer).toBe('string');
    }
  });

  it('refuses to fine-tune from a run that is not loaded, in one sentence', async () => {
    const out: WorkerResponse[] = [];
    const h = new WorkerHost({ post: (m) => out.push(m), loadBundled: async () => '', throttleMs: 5 });
    await h.handle({ kind: 'init', backend: 'cpu' });
    await h.handle({
      kind: 'start',
      runId: 'ft',
      name: 'ft',
      graph,
      data: { kind: 'bundled', name: 'instructions' },
      tokenizer: 'char',
      config: withTrainDefaults({ steps: 2 }),
      parent: { runId: 'gone', freeze: [] },
    });
    expect(of(out, 'error')[0].message).toBe('Run "gone" is not loaded; train it or open it first.');
  });
});
