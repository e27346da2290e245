import { describe, expect, it } from 'vitest';
import { newProject } from '../../../core/project/project';
import type { RunFiles } from '../../../core/run/files';
import type { RunManifest } from '../../../core/run/manifest';
import type { WorkerRequest, WorkerResponse } from '../../../core/worker/protocol';
import { recordFromManifest } from '../../../renderer/lib/runRecord';
import { startRunArchive } from '../../../renderer/services/runArchive';
import type { RunWeights } from '../../../renderer/services/runWeights';
import { createTrainingClient, wasmThreadCount, type WorkerLike } from '../../../renderer/services/trainingClient';
import { createAppStore, type AppStoreApi } from '../../../renderer/store';
import { chain, makeGraph, makeNode } from '../../builders';

/** A worker that records what it is sent; `reply` delivers messages as the real one would. */
class FakeWorker implements WorkerLike {
  sent: WorkerRequest[] = [];
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null = null;
  terminated = false;
  postMessage(msg: WorkerRequest): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(...messages: WorkerResponse[]): void {
    for (const data of messages) this.onmessage?.(new MessageEvent('message', { data }));
  }
  last<K extends WorkerRequest['kind']>(kind: K): Extract<WorkerRequest, { kind: K }> {
    const found = this.sent.filter((m): m is Extract<WorkerRequest, { kind: K }> => m.kind === kind).pop();
    if (!found) throw new Error(`nothing of kind ${kind} was sent`);
    return found;
  }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const lm = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 8 }, 'in'),
    makeNode('Embedding', { dim: 4 }, 'emb'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'head'),
  'Tiny LM',
);

function setup(): { store: AppStoreApi; worker: FakeWorker; client: ReturnType<typeof createTrainingClient> } {
  const store = createAppStore({ graph: lm });
  const worker = new FakeWorker();
  const client = createTrainingClient(store, () => worker);
  return { store, worker, client };
}

describe('the training client', () => {
  it("starts the worker's backend, then a run of the graph with the setup from the store", () => {
    const { store, worker, client } = setup();
    expect(worker.sent[0]).toEqual({ kind: 'init', threads: wasmThreadCount() });
    store.getState().updateTraining({ steps: 12, learningRate: 0.01, evalEvery: 4 });
    store.getState().setBatchSize(3);
    client.start();
    const start = worker.last('start');
    expect(start.graph).toBe(store.getState().graph);
    expect(start.data).toEqual({ kind: 'bundled', name: 'shakespeare' });
    expect(start.tokenizer).toBe('char');
    expect(start.config).toMatchObject({ steps: 12, batchSize: 3, learningRate: 0.01, evalEvery: 4, seed: 42 });
    expect(store.getState().run).toMatchObject({ id: start.runId, status: 'preparing', totalSteps: 12 });
    client.pause();
    expect(worker.last('pause')).toEqual({ kind: 'pause', runId: start.runId });
  });

  it('folds a burst of run messages into one store update', async () => {
    const { store, worker, client } = setup();
    client.start();
    const { runId } = worker.last('start');
    let updates = 0;
    store.subscribe(() => updates++);
    for (let step = 1; step <= 5; step++)
      worker.reply({
        kind: 'event',
        runId,
        event: { event: 'step', step, loss: 3, lr: 1e-3, tokensPerSec: 9, elapsed: step, tokens: step },
      });
    expect(updates).toBe(0);
    await tick();
    expect(updates).toBe(1);
    expect(store.getState().run?.steps).toHaveLength(5);
  });

  it('shows only the answer to the latest question (a slower, older one is dropped)', () => {
    const { store, worker, client } = setup();
    client.start();
    const { runId } = worker.last('start');
    store.getState().markModelLoaded(runId);
    client.predict('RO');
    const first = worker.last('predict').requestId;
    client.predict('ROMEO');
    const second = worker.last('predict').requestId;
    const answer = (requestId: number, text: string): WorkerResponse => ({
      kind: 'prediction',
      runId,
      requestId,
      prediction: { kind: 'next-token', tokens: [{ text, id: 1, top: [] }] },
    });
    worker.reply(answer(second, 'new'), answer(first, 'old'));
    expect(store.getState().prediction?.tokens[0].text).toBe('new');
  });

  it('opens saved weights only after the worker has a backend', async () => {
    const { store, worker, client } = setup();
    store.getState().showRunRecord(recordFromManifest(runManifest('r9'), {}));
    const opened = client.open('r9', { 'run.json': new Uint8Array([1]) });
    await tick();
    expect(worker.sent.some((m) => m.kind === 'open')).toBe(false);
    worker.reply({ kind: 'backend', name: 'cpu', verdicts: [], tried: [{ name: 'cpu' }] });
    await tick();
    const open = worker.last('open');
    worker.reply({ kind: 'opened', runId: 'r9', requestId: open.requestId, manifest: runManifest('r9') });
    await opened;
    expect(store.getState().run?.hasModel).toBe(true);
  });
});

function runManifest(id: string): RunManifest {
  return {
    format: 'wordloom-run',
    version: 1,
    id,
    name: id,
    createdAt: '2026-01-01T00:00:00.000Z',
    graph: lm,
    data: { source: 'shakespeare', task: 'next-token', promptCompletion: false, valFraction: 0.1 },
    tokenizer: 'char',
    labels: [],
    binding: { vocabSize: 67, numClasses: 2 },
    seqLen: 8,
    training: {
      steps: 2,
      batchSize: 2,
      learningRate: 0.01,
      warmupSteps: 0,
      minLrRatio: 0.1,
      weightDecay: 0,
      gradClip: 1,
      seed: 1,
      evalEvery: 1,
      evalBatches: 1,
    },
    backend: 'cpu',
    attention: [],
    totals: { params: 1, flopsPerToken: 1 },
    metrics: {
      steps: [{ step: 1, loss: 4, lr: 0.01, tokensPerSec: 1, elapsed: 1, tokens: 16 }],
      evals: [{ step: 1, valLoss: 4.1, elapsed: 1 }],
    },
  };
}

describe('the run archive', () => {
  it('keeps a finished run: weights under a project + run key, the record (curves, probe) in the project', async () => {
    const { store, worker, client } = setup();
    const kept = new Map<string, RunFiles>();
    const weights: RunWeights = {
      put: async (ref, files) => void kept.set(ref, files),
      get: async (ref) => kept.get(ref),
    };
    startRunArchive(store, client, weights);
    client.start();
    const { runId } = worker.last('start');
    worker.reply({
      kind: 'event',
      runId,
      event: { event: 'done', steps: 1, trainLoss: 4, valLoss: 4.1, seconds: 1, stopped: false },
    });
    await tick();
    const save = worker.last('save');
    const files = { 'weights.bin': new Uint8Array([1, 2, 3]) };
    worker.reply({ kind: 'saved', runId, requestId: save.requestId, files, manifest: runManifest(runId) });
    await tick();
    await tick();
    const record = store.getState().runs[0];
    expect(record).toMatchObject({ id: runId, weightsRef: `indexeddb:Tiny LM/${runId}` });
    expect(kept.get(`indexeddb:Tiny LM/${runId}`)).toBe(files);
  });

  it("reopening a project shows its latest run's curves at once and loads its weights into the worker", async () => {
    const { store, worker, client } = setup();
    const files = { 'weights.bin': new Uint8Array([7]) };
    const weights: RunWeights = {
      put: async () => undefined,
      get: async (ref) => (ref === 'indexeddb:x/r9' ? files : undefined),
    };
    startRunArchive(store, client, weights);
    worker.reply({ kind: 'backend', name: 'cpu', verdicts: [], tried: [{ name: 'cpu' }] });
    const project = {
      ...newProject(lm),
      runs: [recordFromManifest(runManifest('r9'), { weightsRef: 'indexeddb:x/r9' })],
    };
    store.getState().openProject(project, { name: 'x.wordloom.json' });
    expect(store.getState().run).toMatchObject({ id: 'r9', status: 'done', hasModel: false });
    expect(store.getState().run?.steps).toHaveLength(1);
    await tick();
    await tick();
    const open = worker.last('open');
    expect(open.files).toBe(files);
    worker.reply({ kind: 'opened', runId: 'r9', requestId: open.requestId, manifest: runManifest('r9') });
    await tick();
    expect(store.getState().run?.hasModel).toBe(true);
  });

  it('on the desktop, a save copies each kept run into the folder beside the project, once', async () => {
    const { store, client } = setup();
    const files = { 'weights.bin': new Uint8Array([5]) };
    const weights: RunWeights = { put: async () => undefined, get: async () => files };
    const saved: string[] = [];
    const folder = {
      save: async (path: string, id: string) => void saved.push(`${path} ${id}`),
      load: async () => undefined,
    };
    startRunArchive(store, client, weights, folder);
    store.getState().recordRun(recordFromManifest(runManifest('r1'), { weightsRef: 'indexeddb:x/r1' }));
    store.getState().markSaved({ name: 'x.wordloom.json', path: '/p/x.wordloom.json' });
    await tick();
    store.getState().markSaved({ name: 'x.wordloom.json', path: '/p/x.wordloom.json' });
    await tick();
    expect(saved).toEqual(['/p/x.wordloom.json r1']);
  });

  it('on the desktop, a run that cannot be written does not stop the others, and one message names it', async () => {
    const { store, client } = setup();
    const weights: RunWeights = {
      put: async () => undefined,
      get: async () => ({ 'weights.bin': new Uint8Array([5]) }),
    };
    const saved: string[] = [];
    const folder = {
      save: async (_path: string, id: string) => {
        if (id === 'r1') throw new Error('Cannot write r1: the disk is full.');
        saved.push(id);
      },
      load: async () => undefined,
    };
    startRunArchive(store, client, weights, folder);
    for (const id of ['r1', 'r2'])
      store.getState().recordRun(recordFromManifest(runManifest(id), { weightsRef: `indexeddb:x/${id}` }));
    store.getState().markSaved({ name: 'x.wordloom.json', path: '/p/x.wordloom.json' });
    await tick();
    await tick();
    expect(saved).toEqual(['r2']);
    const errors = store.getState().messages.filter((m) => m.kind === 'error');
    expect(errors.map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^1 of 2 runs could not be written next to x\.wordloom\.json: ".*" \(Cannot write r1: the disk is full\)\.$/,
      ),
    ]);
    // The failed run is tried again at the next save; the kept one is not written twice.
    store.getState().markSaved({ name: 'x.wordloom.json', path: '/p/x.wordloom.json' });
    await tick();
    await tick();
    expect(saved).toEqual(['r2']);
    expect(store.getState().messages.filter((m) => m.kind === 'error')).toHaveLength(2);
  });
});

describe('wasm threads', () => {
  it('half the logical cores, at least 2 where there are 2 and at most 4', () => {
    expect(wasmThreadCount(2)).toBe(2);
    expect(wasmThreadCount(3)).toBe(2);
    expect(wasmThreadCount(4)).toBe(2);
    expect(wasmThreadCount(8)).toBe(4);
    expect(wasmThreadCount(16)).toBe(4);
    expect(wasmThreadCount(1)).toBe(1);
    expect(wasmThreadCount(0)).toBe(1);
    expect(wasmThreadCount(Number.NaN)).toBe(1);
  });
});
