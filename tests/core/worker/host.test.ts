import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTrainDefaults } from '../../../core/train/protocol';
import { WorkerHost } from '../../../core/worker/host';
import type { WorkerResponse } from '../../../core/worker/protocol';
import { tinyAttentionLm } from '../../builders';

const graph = tinyAttentionLm();

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

describe('WorkerHost (the training worker, over messages)', () => {
  it('picks a backend, trains, streams events and probes, answers predict/attention/generate, saves and reopens', async () => {
    const { h, out } = host();
    await h.handle({ kind: 'init', backend: 'cpu' });
    expect(of(out, 'backend')[0].name).toBe('cpu');
    await h.handle({
      kind: 'start',
      runId: 'r1',
      name: 'tiny',
      graph,
      data: { kind: 'bundled', name: 'shakespeare' },
      tokenizer: 'char',
      config: withTrainDefaults({ steps: 6, batchSize: 4, evalEvery: 3 }),
    });
    expect(of(out, 'error')).toEqual([]);
    expect(of(out, 'prepared')[0]).toMatchObject({ runId: 'r1', task: 'next-token' });
    const events = of(out, 'event').map((m) => m.event);
    expect(events.filter((e) => e.event === 'step')).toHaveLength(6);
    expect(events.filter((e) => e.event === 'eval').map((e) => e.step)).toEqual([3, 6]);
    expect(events.at(-1)?.event).toBe('done');
    expect(of(out, 'probe').length).toBeGreaterThanOrEqual(2);

    await h.handle({ kind: 'predict', runId: 'r1', requestId: 1, text: 'ROMEO:', topK: 3 });
    const pred = of(out, 'prediction')[0].prediction;
    expect(pred.kind).toBe('next-token');
    await h.handle({ kind: 'attention', runId: 'r1', requestId: 2, text: 'ROMEO:' });
    const maps = of(out, 'attention')[0].maps;
    expect(maps).toHaveLength(1);
    expect(maps[0].heads).toHaveLength(2);
    expect(maps[0].heads[0]).toHaveLength(6);
    // Causal: the first query attends only to itself.
    expect(maps[0].heads[0][0][0]).toBeCloseTo(1, 5);
    await h.handle({
      kind: 'generate',
      runId: 'r1',
      requestId: 3,
      prompt: 'RO',
      options: { tokens: 5, temperature: 1, topK: 0, seed: 1 },
    });
    const tokens = of(out, 'token');
    expect(tokens).toHaveLength(6);
    expect(tokens.at(-1)?.done).toBe(true);

    await h.handle({ kind: 'save', runId: 'r1', requestId: 4 });
    const saved = of(out, 'saved')[0];
    expect(Object.keys(saved.files).sort()).toEqual(['model.json', 'run.json', 'tokenizer.json', 'weights.bin']);
    await h.handle({ kind: 'open', runId: 'r2', requestId: 5, files: saved.files });
    expect(of(out, 'opened')[0].manifest.metrics.steps).toHaveLength(6);
    await h.handle({ kind: 'predict', runId: 'r2', requestId: 6, text: 'ROMEO:', topK: 3 });
    expect(of(out, 'prediction')[1].prediction).toEqual(pred);
  }, 60_000);

  it('pauses and resumes a run from the same step, and reports a bad request as one sentence', async () => {
    const { h, out } = host();
    await h.handle({ kind: 'init', backend: 'cpu' });
    const started = h.handle({
      kind: 'start',
      runId: 'p',
      name: 'tiny',
      graph,
      data: { kind: 'text', name: 'mini.txt', text: 'to be or not to be, that is the question. '.repeat(50) },
      tokenizer: 'char',
      config: withTrainDefaults({ steps: 40, batchSize: 2, evalEvery: 100 }),
    });
    while (!of(out, 'event').some((m) => m.event.event === 'step' && m.event.step >= 3))
      await new Promise((r) => setTimeout(r, 5));
    await h.handle({ kind: 'pause', runId: 'p' });
    while (!of(out, 'event').some((m) => m.event.event === 'paused')) await new Promise((r) => setTimeout(r, 5));
    const pausedAt = of(out, 'event').find((m) => m.event.event === 'paused')!.event as { step: number };
    await h.handle({ kind: 'resume', runId: 'p' });
    await started;
    const steps = of(out, 'event')
      .map((m) => m.event)
      .filter((e) => e.event === 'step')
      .map((e) => (e as { step: number }).step);
    expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const resumed = of(out, 'event').find((m) => m.event.event === 'resumed')!.event as { step: number };
    expect(resumed.step).toBe(pausedAt.step);

    await h.handle({ kind: 'predict', runId: 'nope', requestId: 9, text: 'x', topK: 1 });
    expect(of(out, 'error').at(-1)).toMatchObject({
      requestId: 9,
      message: 'Run "nope" is not loaded; train it or open it first.',
    });
  }, 60_000);
});

describe('WorkerHost backend choice', () => {
  it('applies backend requests in the order they came, even while an earlier pick is still running', async () => {
    const { h, out } = host();
    const first = h.handle({ kind: 'init' }); // automatic pick: tries webgpu, webgl, then wasm in Node
    const second = h.handle({ kind: 'init', backend: 'cpu' });
    await Promise.all([first, second]);
    const picks = of(out, 'backend').map((m) => m.name);
    expect(picks).toHaveLength(2);
    expect(picks[1]).toBe('cpu');
    const tf = await import('@tensorflow/tfjs');
    expect(tf.getBackend()).toBe('cpu');
  }, 60_000);
});
