import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../core/train/protocol';
import type { WorkerResponse } from '../../../core/worker/protocol';
import { lossChartData, speedChartData } from '../../../renderer/panels/training/chartData';
import { createAppStore, type AppStoreApi } from '../../../renderer/store';

const step = (n: number, loss: number): TrainEvent => ({
  event: 'step',
  step: n,
  loss,
  lr: 0.001 * n,
  tokensPerSec: 1000 + n,
  elapsed: n / 2,
  tokens: n * 256,
});
const ev = (runId: string, event: TrainEvent): WorkerResponse => ({ kind: 'event', runId, event });

function started(): AppStoreApi {
  const store = createAppStore();
  store.getState().beginRun({ id: 'r1', name: 'Run 1', totalSteps: 4 });
  return store;
}

describe('run state from worker messages', () => {
  it('turns step and eval events into chart series, in order, and finishes as done', () => {
    const store = started();
    const s = store.getState();
    expect(s.run?.status).toBe('preparing');
    s.receive([
      ev('r1', { event: 'start', totalSteps: 4, params: 1234, backend: 'cpu', task: 'next-token', vocabSize: 67 }),
      ev('r1', step(1, 4.2)),
      ev('r1', step(2, 3.9)),
    ]);
    s.receive([ev('r1', { event: 'eval', step: 2, valLoss: 4.0, perplexity: 54.6, elapsed: 1 })]);
    s.receive([ev('r1', step(3, 3.5)), ev('r1', step(4, 3.1))]);
    s.receive([ev('r1', { event: 'eval', step: 4, valLoss: 3.3, elapsed: 2 })]);
    s.receive([ev('r1', { event: 'done', steps: 4, trainLoss: 3.1, valLoss: 3.3, seconds: 2, stopped: false })]);

    const run = store.getState().run;
    expect(run?.status).toBe('done');
    expect(run?.params).toBe(1234);
    expect(run?.steps.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(run?.evals.map((p) => [p.step, p.valLoss])).toEqual([
      [2, 4.0],
      [4, 3.3],
    ]);

    const [x, raw, smoothed, val] = lossChartData(run?.steps ?? [], run?.evals ?? [], 0);
    expect(x).toEqual([1, 2, 3, 4]);
    expect(raw).toEqual([4.2, 3.9, 3.5, 3.1]);
    expect(smoothed).toEqual(raw); // no smoothing
    expect(val).toEqual([null, 4.0, null, 3.3]);
    const [, tps, lr] = speedChartData(run?.steps ?? []);
    expect(tps).toEqual([1001, 1002, 1003, 1004]);
    expect(lr).toEqual([0.001, 0.002, 0.003, 0.004]);
  });

  it('pauses and resumes at the same step, and a stopped run says so', () => {
    const store = started();
    const s = store.getState();
    s.receive([ev('r1', step(1, 4)), ev('r1', step(2, 3.8)), ev('r1', { event: 'paused', step: 2 })]);
    expect(store.getState().run).toMatchObject({ status: 'paused', step: 2 });
    s.receive([ev('r1', { event: 'resumed', step: 2 }), ev('r1', step(3, 3.7))]);
    expect(store.getState().run).toMatchObject({ status: 'training', step: 3 });
    s.receive([ev('r1', { event: 'done', steps: 3, trainLoss: 3.7, valLoss: 3.9, seconds: 1, stopped: true })]);
    expect(store.getState().run?.status).toBe('stopped');
  });

  it("ignores another run's messages, and a run error becomes the run's status and a toast", () => {
    const store = started();
    const s = store.getState();
    s.receive([ev('old', step(7, 1))]);
    expect(store.getState().run?.steps).toEqual([]);
    s.receive([{ kind: 'error', runId: 'r1', message: 'The loss became NaN.' }]);
    expect(store.getState().run).toMatchObject({ status: 'error', error: 'The loss became NaN.' });
    expect(store.getState().messages.map((m) => m.text)).toContain('The loss became NaN.');
  });

  it("'prepared' sets the editor's V (and C for labelled data) so shapes and costs use the real vocabulary", () => {
    const store = started();
    const before = store.getState().analysis;
    store
      .getState()
      .receive([
        {
          kind: 'prepared',
          runId: 'r1',
          vocabSize: 500,
          numClasses: 17,
          labels: ['NOUN'],
          trainTokens: 10,
          task: 'tag',
        },
      ]);
    const s = store.getState();
    expect(s.binding).toEqual({ vocabSize: 500, numClasses: 17 });
    expect(s.analysis).not.toBe(before); // re-inferred with the new binding
    expect(s.run).toMatchObject({ labels: ['NOUN'], task: 'tag', hasModel: true });
    // A next-token set has no classes: C stays as it was.
    store
      .getState()
      .receive([
        {
          kind: 'prepared',
          runId: 'r1',
          vocabSize: 65,
          numClasses: 0,
          labels: [],
          trainTokens: 10,
          task: 'next-token',
        },
      ]);
    expect(store.getState().binding).toEqual({ vocabSize: 65, numClasses: 17 });
  });

  it('shows the backend the worker reports, with the ones it skipped', () => {
    const store = createAppStore();
    expect(store.getState().backend.isStarting).toBe(true);
    store
      .getState()
      .receive([
        { kind: 'backend', name: 'webgl', verdicts: [], tried: [{ name: 'webgpu', error: 'no adapter' }, { name: 'webgl' }] },
      ]);
    expect(store.getState().backend).toMatchObject({ name: 'webgl', isStarting: false, choice: 'auto' });
    store.getState().chooseBackend('wasm');
    expect(store.getState().backend).toMatchObject({ choice: 'wasm', isStarting: true });
  });
});
