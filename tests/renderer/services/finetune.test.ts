import { describe, expect, it } from 'vitest';
import type { RunManifest } from '../../../core/run/manifest';
import type { WorkerRequest, WorkerResponse } from '../../../core/worker/protocol';
import { continuedCurves, lineageOrder } from '../../../renderer/lib/lineage';
import { parentOfRecord, recordFromManifest } from '../../../renderer/lib/runRecord';
import { createTrainingClient, type WorkerLike } from '../../../renderer/services/trainingClient';
import { createAppStore } from '../../../renderer/store';
import { liveRunFromRecord } from '../../../renderer/store/runSlice';
import { chain, makeGraph, makeNode } from '../../builders';

class FakeWorker implements WorkerLike {
  sent: WorkerRequest[] = [];
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null = null;
  postMessage(msg: WorkerRequest): void {
    this.sent.push(msg);
  }
  terminate(): void {}
  reply(...messages: WorkerResponse[]): void {
    for (const data of messages) this.onmessage?.(new MessageEvent('message', { data }));
  }
}
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const lm = makeGraph(
  [makeNode('TokenInput', { seqLen: 8 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb'), makeNode('NextTokenHead', {}, 'head')],
  chain('in', 'emb', 'head'),
  'Tiny LM',
);

describe('fine-tuning in the app', () => {
  it("Fine-tune… starts the next run from the finished one: its id, the frozen blocks, its tokenizer; the parent stays loaded", async () => {
    const store = createAppStore({ graph: lm });
    const worker = new FakeWorker();
    const client = createTrainingClient(store, () => worker);
    worker.reply({ kind: 'backend', name: 'cpu', tried: [], verdicts: [] });
    client.start();
    const first = worker.sent.filter((m) => m.kind === 'start').pop()!;
    if (first.kind !== 'start') throw new Error('no start');
    worker.reply(
      { kind: 'prepared', runId: first.runId, vocabSize: 67, numClasses: 0, labels: [], trainTokens: 10, task: 'next-token' },
      { kind: 'event', runId: first.runId, event: { event: 'done', steps: 30, trainLoss: 2, valLoss: 2, seconds: 1, stopped: false } },
    );
    await tick();
    const run = store.getState().run!;
    expect(run.status).toBe('done');
    store.getState().beginFineTune({ runId: run.id, name: run.name, step: 30, tokenizer: 'char' });
    store.getState().toggleFrozen('emb');
    expect(store.getState().frozen).toEqual(['emb']);
    store.getState().updateTraining({ dataset: 'instructions', tokenizer: 'bpe:1000' });
    client.start();
    expect(worker.sent.some((m) => m.kind === 'dispose' && m.runId === run.id)).toBe(false);
    const second = worker.sent.filter((m) => m.kind === 'start').pop()!;
    if (second.kind !== 'start') throw new Error('no start');
    expect(second.parent).toEqual({ runId: run.id, freeze: ['emb'] });
    expect(second.tokenizer).toBe('char');
    expect(store.getState().training.tokenizer).toBe('char'); // the setup shows the tokenizer the run uses
    expect(second.data).toEqual({ kind: 'bundled', name: 'instructions' });
    expect(store.getState().run?.parent).toEqual({ runId: run.id, name: run.name, step: 30 });
    expect(store.getState().fineTune).toBeNull();
  });

  it('a run record keeps its parent and prompt/completion framing, and a reopened run reads them back', () => {
    const parent = { runId: 'pre', name: 'Pre', step: 40, loaded: ['emb'], refused: [], frozen: ['emb'] };
    const manifest = {
      format: 'wordloom-run',
      version: 1,
      id: 'ft',
      name: 'FT',
      createdAt: '2026-01-01T00:00:00Z',
      graph: lm,
      data: { source: 'instructions', task: 'next-token', promptCompletion: true, valFraction: 0.1 },
      tokenizer: 'char',
      labels: [],
      binding: { vocabSize: 67, numClasses: 0 },
      seqLen: 8,
      training: { steps: 10, batchSize: 2, learningRate: 0.01, seed: 1 },
      backend: 'cpu',
      attention: [],
      totals: { params: 1, flopsPerToken: 1 },
      metrics: { steps: [{ step: 1, loss: 2, lr: 0.01, tokensPerSec: 1, elapsed: 1, tokens: 1 }], evals: [{ step: 1, valLoss: 2, chrf: 12.5, elapsed: 1 }] },
      parent,
    } as unknown as RunManifest;
    const record = recordFromManifest(manifest, {});
    const reread = JSON.parse(JSON.stringify(record)) as typeof record;
    expect(parentOfRecord(reread)).toEqual({ runId: 'pre', name: 'Pre', step: 40 });
    const live = liveRunFromRecord(reread);
    expect(live.parent).toEqual({ runId: 'pre', name: 'Pre', step: 40 });
    expect(live.promptCompletion).toBe(true);
    expect(live.evals[0].chrf).toBe(12.5);
  });

  it('the runs list keeps a chain together, child after parent, and the chart can continue the parent', () => {
    const order = lineageOrder([{ id: 'ft2', parentId: 'ft' }, { id: 'other' }, { id: 'ft', parentId: 'pre' }, { id: 'pre' }, { id: 'orphan', parentId: 'gone' }]);
    expect(order.map(({ item, depth }) => `${item.id}:${depth}`)).toEqual(['other:0', 'pre:0', 'ft:1', 'ft2:2', 'orphan:0']);
    const pt = (step: number, loss: number) => ({ step, loss, lr: 0, tokensPerSec: 0, elapsed: 0, tokens: 0 });
    const c = continuedCurves(
      { steps: [pt(1, 4), pt(2, 3), pt(3, 2.9)], evals: [{ step: 2, valLoss: 3, elapsed: 0 }] },
      { steps: [pt(1, 2.5)], evals: [{ step: 1, valLoss: 2.4, elapsed: 0 }] },
      2,
    );
    expect(c.steps.map((p) => [p.step, p.loss])).toEqual([[1, 4], [2, 3], [3, 2.5]]);
    expect(c.evals.map((p) => p.step)).toEqual([2, 3]);
  });
});
