import { describe, expect, it } from 'vitest';
import { withTrainDefaults } from '../../core/train/protocol';
import type { WorkerRequest, WorkerResponse } from '../../core/worker/protocol';
import { createCompareClient } from '../../renderer/services/compareClient';
import { wasmThreadCount, type WorkerLike } from '../../renderer/services/trainingClient';
import { createAppStore } from '../../renderer/store';
import { template } from './compare/fixtures';

/** A worker stand-in: records what it is sent; the test answers as the worker would. */
function fakeWorker() {
  const sent: WorkerRequest[] = [];
  let created = 0;
  const w: WorkerLike & { reply: (m: WorkerResponse) => void } = {
    onmessage: null,
    postMessage: (m) => void sent.push(m),
    terminate: () => undefined,
    reply: (m) => w.onmessage?.(new MessageEvent('message', { data: m })),
  };
  const create = (): WorkerLike => {
    created += 1;
    return w;
  };
  return { w, sent, create, count: () => created };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const start = {
  runId: 'r1',
  name: 'R1',
  graph: template('char-rnn'),
  data: { kind: 'bundled' as const, name: 'shakespeare' },
  tokenizer: 'char',
  config: withTrainDefaults({ steps: 2, batchSize: 2 }),
};

describe('compare client (the compare worker’s messages)', () => {
  it('starts its worker on first use, with the user’s backend choice, and sends nothing else until the backend is up', async () => {
    const store = createAppStore();
    store.getState().chooseBackend('wasm');
    store.getState().receive([{ kind: 'backend', name: 'wasm', verdicts: [], tried: [{ name: 'wasm' }] }]);
    const fake = fakeWorker();
    const client = createCompareClient(store, fake.create);
    expect(fake.count()).toBe(0);
    const trained = client.train(start);
    await tick();
    expect(fake.sent).toEqual([{ kind: 'init', backend: 'wasm', threads: wasmThreadCount() }]);
    fake.w.reply({ kind: 'backend', name: 'wasm', verdicts: [], tried: [{ name: 'wasm' }] });
    await tick();
    expect(fake.sent.map((m) => m.kind)).toEqual(['init', 'start']);

    let started = false;
    const again = client.train({ ...start, runId: 'r2' }, () => (started = true));
    fake.w.reply({
      kind: 'event',
      runId: 'r1',
      event: { event: 'done', steps: 2, trainLoss: 3, valLoss: 3, seconds: 1, stopped: false },
    });
    await trained;
    expect(client.holds('r1')).toBe(true);
    await tick();
    fake.w.reply({
      kind: 'event',
      runId: 'r2',
      event: { event: 'start', totalSteps: 2, params: 1, backend: 'wasm', task: 'next-token', vocabSize: 67 },
    });
    expect(started).toBe(true);
    fake.w.reply({ kind: 'error', runId: 'r2', message: 'The graph does not compile.' });
    await expect(again).rejects.toThrow('The graph does not compile.');
    await tick();
    expect(store.getState().compareBackend).toBe('wasm');
    expect(fake.count()).toBe(1);
  });

  it('answers requests by id: predictions, streamed generations, exports, and error sentences', async () => {
    const store = createAppStore();
    const fake = fakeWorker();
    const client = createCompareClient(store, fake.create);
    const prediction = client.predict('r1', 'ab');
    const pieces: string[] = [];
    const generated = client.generate('r1', 'a', { tokens: 2, temperature: 1, topK: 0 }, (t) => pieces.push(t));
    const exported = client.exportRun('r1', 'tfjs');
    expect(fake.sent).toEqual([{ kind: 'init', threads: wasmThreadCount() }]); // 'auto': the verified pick per model
    fake.w.reply({ kind: 'backend', name: 'cpu', verdicts: [], tried: [{ name: 'cpu' }] });
    await tick();
    const ids = fake.sent.slice(1).map((m) => ('requestId' in m ? m.requestId : -1));
    expect(fake.sent.slice(1).map((m) => m.kind)).toEqual(['predict', 'generate', 'export']);
    const p = { kind: 'next-token' as const, tokens: [{ text: 'a', id: 1, top: [] }] };
    fake.w.reply({ kind: 'token', runId: 'r1', requestId: ids[1], text: 'x', done: false });
    fake.w.reply({ kind: 'prediction', runId: 'r1', requestId: ids[0], prediction: p });
    fake.w.reply({ kind: 'token', runId: 'r1', requestId: ids[1], text: 'y', done: false });
    fake.w.reply({ kind: 'token', runId: 'r1', requestId: ids[1], text: '', done: true });
    fake.w.reply({
      kind: 'error',
      runId: 'r1',
      requestId: ids[2],
      message: 'Run "r1" is still training; export it once it ends.',
    });
    await expect(prediction).resolves.toEqual(p);
    await generated;
    expect(pieces).toEqual(['x', 'y']);
    await expect(exported).rejects.toThrow('Run "r1" is still training; export it once it ends.');
  });

  it('when no backend can start, everything waiting fails with that sentence and the next call starts afresh', async () => {
    const store = createAppStore();
    const fake = fakeWorker();
    const client = createCompareClient(store, fake.create);
    const trained = client.train(start);
    const prediction = client.predict('r1', 'x');
    fake.w.reply({ kind: 'error', message: 'No tf.js backend could start (cpu: broken).' });
    await expect(trained).rejects.toThrow('No tf.js backend could start (cpu: broken).');
    await expect(prediction).rejects.toThrow('No tf.js backend could start');
    void client.predict('r1', 'x').catch(() => undefined);
    expect(fake.count()).toBe(2);
    client.dispose();
  });
});
