import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unpackBundle } from '../../../core/run/files';
import { withTrainDefaults } from '../../../core/train/protocol';
import { WorkerHost } from '../../../core/worker/host';
import type { WorkerResponse } from '../../../core/worker/protocol';
import { makeGraph, makeNode } from '../../builders';

const graph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 12 }, 'in'),
    makeNode('Embedding', { dim: 8 }, 'emb'),
    makeNode('GRU', { units: 8 }, 'gru'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  [
    ['in', 'emb'],
    ['emb', 'gru'],
    ['gru', 'head'],
  ],
  'Tiny GRU',
);

function host() {
  const out: WorkerResponse[] = [];
  const h = new WorkerHost({
    post: (m) => out.push(m),
    loadBundled: async (file) => readFileSync(join('core/data/bundled', file), 'utf8'),
    throttleMs: 5,
  });
  return { h, out };
}
const of = <K extends WorkerResponse['kind']>(out: WorkerResponse[], kind: K) =>
  out.filter((m): m is Extract<WorkerResponse, { kind: K }> => m.kind === kind);
const text = 'to be or not to be, that is the question. '.repeat(40);
const start = (runId: string, steps: number) =>
  ({
    kind: 'start',
    runId,
    name: 'Tiny GRU run',
    graph,
    data: { kind: 'text', name: 'mini.txt', text },
    tokenizer: 'char',
    config: withTrainDefaults({ steps, batchSize: 2, evalEvery: 100 }),
  }) as const;

describe("WorkerHost 'export' (the app's Export… runs the exporters where the model lives)", () => {
  it('answers tf.js, PyTorch and bundle exports of a trained run with their files, bytes that reopen', async () => {
    const { h, out } = host();
    await h.handle({ kind: 'init', backend: 'cpu' });
    await h.handle(start('r1', 3));
    await h.handle({ kind: 'export', runId: 'r1', requestId: 1, format: 'tfjs' });
    await h.handle({ kind: 'export', runId: 'r1', requestId: 2, format: 'pytorch' });
    await h.handle({ kind: 'export', runId: 'r1', requestId: 3, format: 'bundle' });
    expect(of(out, 'error')).toEqual([]);
    const [tfjs, pytorch, bundle] = of(out, 'exported');
    expect(tfjs).toMatchObject({ runId: 'r1', requestId: 1, format: 'tfjs' });
    expect(Object.keys(tfjs.files)).toEqual(
      expect.arrayContaining(['model.json', 'weights.bin', 'tokenizer.json', 'config.json', 'wordloom-model.js']),
    );
    expect(JSON.parse(strFromU8(tfjs.files['model.json'])).format).toBe('layers-model');
    expect(Object.keys(pytorch.files)).toEqual(
      expect.arrayContaining(['model.py', 'weights.safetensors', 'tokenizer.json', 'train.py']),
    );
    expect(Object.keys(bundle.files)).toEqual(['tiny-gru-run.wordloom']);

    // The bundle holds the run's own files: opened under another id, it predicts exactly as the original.
    const files = unpackBundle(bundle.files['tiny-gru-run.wordloom'], 'tiny-gru-run.wordloom');
    await h.handle({ kind: 'open', runId: 'copy', requestId: 4, files });
    await h.handle({ kind: 'predict', runId: 'r1', requestId: 5, text: 'to be', topK: 3 });
    await h.handle({ kind: 'predict', runId: 'copy', requestId: 6, text: 'to be', topK: 3 });
    const [a, b] = of(out, 'prediction');
    expect(b.prediction).toEqual(a.prediction);
  }, 60_000);

  it('refuses to export a run that is still training, or one it does not hold, in one sentence', async () => {
    const { h, out } = host();
    await h.handle({ kind: 'init', backend: 'cpu' });
    const started = h.handle(start('live', 400));
    while (!of(out, 'event').some((m) => m.event.event === 'step')) await new Promise((r) => setTimeout(r, 5));
    await h.handle({ kind: 'export', runId: 'live', requestId: 7, format: 'tfjs' });
    await h.handle({ kind: 'stop', runId: 'live' });
    await started;
    await h.handle({ kind: 'export', runId: 'gone', requestId: 8, format: 'bundle' });
    expect(of(out, 'exported')).toEqual([]);
    expect(of(out, 'error').map((e) => [e.requestId, e.message])).toEqual([
      [7, 'Run "Tiny GRU run" is still training; export it once it ends.'],
      [8, 'Run "gone" is not loaded; train it or open it first.'],
    ]);
    // Once stopped, the run is a finished run and exports.
    await h.handle({ kind: 'export', runId: 'live', requestId: 9, format: 'bundle' });
    expect(of(out, 'exported').map((e) => e.requestId)).toEqual([9]);
  }, 60_000);
});
