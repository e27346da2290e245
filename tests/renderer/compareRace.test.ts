import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Graph } from '../../core/graph/model';
import type { RunFiles } from '../../core/run/files';
import type { WorkerRequest } from '../../core/worker/protocol';
import type { CompareClient } from '../../renderer/services/compareClient';
import { createRacer, planRace } from '../../renderer/services/race';
import type { RunWeights } from '../../renderer/services/runWeights';
import { createAppStore, type AppStoreApi } from '../../renderer/store';
import { CURRENT_GRAPH, type RaceBudget } from '../../renderer/store/compareSlice';
import { manifestOf, stepsOf, template } from './compare/fixtures';

type Start = Omit<Extract<WorkerRequest, { kind: 'start' }>, 'kind'>;

/**
 * A compare worker stand-in: each run streams a start, its steps and a done through the store as the real
 * client does, unless `fail` names its graph or the run waits for `stop` (time budgets).
 */
function fakeClient(store: AppStoreApi, o: { fail?: string; waitForStop?: boolean } = {}) {
  const started: Start[] = [];
  const stopped: string[] = [];
  const graphs = new Map<string, Graph>();
  const waiting = new Map<string, () => void>();
  const emitDone = (runId: string, steps: number, stop: boolean): void =>
    store.getState().raceReceive([
      ...stepsOf(steps).map((p) => ({ kind: 'event' as const, runId, event: { event: 'step' as const, ...p } })),
      {
        kind: 'event',
        runId,
        event: { event: 'done', steps, trainLoss: 3, valLoss: 3.2, seconds: 1, stopped: stop },
      },
    ]);
  const client: CompareClient = {
    async train(req, onStarted) {
      started.push(req);
      graphs.set(req.runId, req.graph);
      if (req.graph.name === o.fail) throw new Error(`"${req.graph.name}" ran out of memory.`);
      store.getState().raceReceive([
        {
          kind: 'event',
          runId: req.runId,
          event: {
            event: 'start',
            totalSteps: req.config.steps,
            params: 7,
            backend: 'cpu',
            task: 'next-token',
            vocabSize: 67,
          },
        },
      ]);
      onStarted?.();
      if (o.waitForStop) await new Promise<void>((resolve) => waiting.set(req.runId, resolve));
      emitDone(req.runId, o.waitForStop ? 3 : req.config.steps, stopped.includes(req.runId));
    },
    stop(runId) {
      stopped.push(runId);
      waiting.get(runId)?.();
    },
    async save(runId) {
      const graph = graphs.get(runId);
      if (!graph) throw new Error(`no run ${runId}`);
      return { files: { 'run.json': new Uint8Array([1]) }, manifest: manifestOf(runId, graph) };
    },
    open: async () => {
      throw new Error('not used');
    },
    holds: () => false,
    predict: async () => {
      throw new Error('not used');
    },
    generate: async () => undefined,
    exportRun: async () => ({}),
    dispose: () => undefined,
  };
  return { client, started, stopped };
}

function memoryWeights(): RunWeights & { kept: Map<string, RunFiles> } {
  const kept = new Map<string, RunFiles>();
  return { kept, put: async (ref, files) => void kept.set(ref, files), get: async (ref) => kept.get(ref) };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
};

const raceOf = (store: AppStoreApi, graphs: string[], budget: RaceBudget = { kind: 'steps', steps: 10 }) =>
  store
    .getState()
    .updateRaceSetup({ graphs, dataset: 'shakespeare', tokenizer: 'char', seed: 3, batchSize: 4, budget });

afterEach(() => vi.useRealTimers());

describe('race', () => {
  it('trains each graph in turn on the same data, tokenizer, seed and budget, keeping every run with the project', async () => {
    const store = createAppStore();
    raceOf(store, ['char-rnn', 'gru-lm', 'mini-gpt']);
    const { client, started } = fakeClient(store);
    const weights = memoryWeights();
    expect(createRacer(store, client, weights).start()).toBeNull();
    await until(() => store.getState().race?.isRunning === false);

    expect(started.map((r) => r.graph.name)).toEqual(['Char-RNN (simple RNN)', 'GRU language model', 'Mini GPT']);
    for (const r of started) {
      expect(r.data).toEqual({ kind: 'bundled', name: 'shakespeare' });
      expect(r.tokenizer).toBe('char');
      expect(r.config).toMatchObject({ steps: 10, batchSize: 4, seed: 3, evalEvery: 2, warmupSteps: 2 });
    }
    const s = store.getState();
    const ids = started.map((r) => r.runId);
    expect(new Set(ids).size).toBe(3);
    expect(s.runs.map((r) => r.id)).toEqual(ids);
    expect(s.runs.every((r) => r.weightsRef?.startsWith('indexeddb:'))).toBe(true);
    expect([...weights.kept.keys()]).toEqual(s.runs.map((r) => r.weightsRef));
    expect(s.compareIds).toEqual(ids);
    expect(s.raceRuns).toEqual({}); // every live curve was replaced by its kept record
    expect(s.race?.entries.map((e) => e.status)).toEqual(['done', 'done', 'done']);
  });

  it('a failed graph is reported in one sentence and the race goes on', async () => {
    const store = createAppStore();
    raceOf(store, ['char-rnn', 'gru-lm', 'lstm-lm']);
    const { client } = fakeClient(store, { fail: 'GRU language model' });
    createRacer(store, client, memoryWeights()).start();
    await until(() => store.getState().race?.isRunning === false);
    const entries = store.getState().race?.entries ?? [];
    expect(entries.map((e) => e.status)).toEqual(['done', 'error', 'done']);
    expect(entries[1].error).toBe('"GRU language model" ran out of memory.');
    expect(store.getState().runs).toHaveLength(2);
  });

  it('a time budget stops each run when its minutes are up', async () => {
    vi.useFakeTimers();
    const store = createAppStore();
    raceOf(store, ['char-rnn', 'gru-lm'], { kind: 'minutes', minutes: 0.5 });
    const { client, stopped, started } = fakeClient(store, { waitForStop: true });
    createRacer(store, client, memoryWeights()).start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toEqual([started[0].runId]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(stopped).toEqual(started.map((r) => r.runId));
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().race?.entries.map((e) => e.status)).toEqual(['done', 'done']);
    expect(store.getState().runs).toHaveLength(2);
  });

  it('Stop ends the run in progress and the graphs after it never start', async () => {
    const store = createAppStore();
    raceOf(store, ['char-rnn', 'gru-lm', 'mini-gpt'], { kind: 'minutes', minutes: 5 });
    const { client, started } = fakeClient(store, { waitForStop: true });
    const racer = createRacer(store, client, memoryWeights());
    racer.start();
    expect(racer.start()).toBe('A race is already running.');
    await until(() => started.length === 1);
    racer.stop();
    await until(() => store.getState().race?.isRunning === false);
    expect(started).toHaveLength(1);
    expect(store.getState().race?.entries.map((e) => e.status)).toEqual(['done', 'stopped', 'stopped']);
  });
});

describe('planRace', () => {
  it('refuses a race it cannot run, in one sentence', () => {
    const store = createAppStore();
    raceOf(store, ['mini-gpt']);
    expect(planRace(store.getState())).toEqual({ error: 'Pick at least two graphs to race.' });
    raceOf(store, ['mini-gpt', 'bow-classifier']);
    expect(planRace(store.getState())).toEqual({
      error: '"Bag-of-words classifier" is a classify model; shakespeare trains next-token models.',
    });
  });

  it('races the graph on screen next to templates, and classifiers on a classification set', () => {
    const store = createAppStore();
    store.getState().openGraph(template('lstm-lm'));
    raceOf(store, [CURRENT_GRAPH, 'char-rnn']);
    const plan = planRace(store.getState());
    expect('entries' in plan && plan.entries.map((e) => e.label)).toEqual([
      'LSTM language model (on screen)',
      'Char-RNN (simple RNN)',
    ]);
    store.getState().updateRaceSetup({
      graphs: ['bow-classifier', 'embedding-bag-classifier'],
      dataset: 'sentiment',
      tokenizer: undefined,
    });
    const classify = planRace(store.getState());
    expect('data' in classify && classify.data).toEqual({ kind: 'bundled', name: 'sentiment' });
    expect('tokenizer' in classify && classify.tokenizer).toBe('word');
  });
});
