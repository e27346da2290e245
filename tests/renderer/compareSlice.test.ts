import { describe, expect, it } from 'vitest';
import { recordFromManifest } from '../../renderer/lib/runRecord';
import { createAppStore } from '../../renderer/store';
import { manifestOf, stepsOf, template } from './compare/fixtures';

const graph = template('char-rnn');
const run = { id: 'a', name: 'A', totalSteps: 10 };

describe('compare slice', () => {
  it('opens on the project’s last two runs, and ticking a run adds or removes it', () => {
    const store = createAppStore();
    for (const id of ['r1', 'r2', 'r3']) store.getState().recordRun(recordFromManifest(manifestOf(id, graph), {}));
    store.getState().openCompare();
    expect(store.getState().compareIds).toEqual(['r2', 'r3']);
    store.getState().toggleCompareRun('r1');
    store.getState().toggleCompareRun('r2');
    expect(store.getState().compareIds).toEqual(['r3', 'r1']);
    store.getState().closeCompare();
    store.getState().openCompare();
    expect(store.getState().compareIds).toEqual(['r3', 'r1']); // a chosen selection survives closing the view
  });

  it('a race adds each of its runs to the comparison as it starts (ticked runs stay), folding only its own runs’ messages', () => {
    const store = createAppStore();
    store.getState().toggleCompareRun('old');
    const entries = [
      { key: 'char-rnn', label: 'Char-RNN', graph },
      { key: 'gru-lm', label: 'GRU', graph: template('gru-lm') },
    ];
    store.getState().beginRace(entries, { kind: 'steps', steps: 10 });
    expect(store.getState().compareIds).toEqual(['old']);
    expect(store.getState().race?.entries.map((e) => e.status)).toEqual(['waiting', 'waiting']);
    store.getState().raceEntryStarted(0, run);
    expect(store.getState().compareIds).toEqual(['old', 'a']);
    expect(store.getState().race?.entries[0]).toMatchObject({ runId: 'a', status: 'preparing' });

    const [p1, p2] = stepsOf(2);
    store.getState().raceReceive([
      { kind: 'backend', name: 'wasm', verdicts: [], tried: [{ name: 'wasm' }] },
      { kind: 'prepared', runId: 'a', vocabSize: 67, numClasses: 0, labels: [], trainTokens: 1000, task: 'next-token' },
      {
        kind: 'event',
        runId: 'a',
        event: { event: 'start', totalSteps: 10, params: 42, backend: 'wasm', task: 'next-token', vocabSize: 67 },
      },
      { kind: 'event', runId: 'a', event: { event: 'step', ...p1 } },
      { kind: 'event', runId: 'other', event: { event: 'step', ...p2 } },
      { kind: 'event', runId: 'a', event: { event: 'step', ...p2 } },
      { kind: 'event', runId: 'a', event: { event: 'eval', step: 2, valLoss: 3.3, elapsed: 1 } },
    ]);
    const s = store.getState();
    expect(s.compareBackend).toBe('wasm');
    expect(s.raceRuns.a).toMatchObject({
      status: 'training',
      step: 2,
      params: 42,
      task: 'next-token',
      trainTokens: 1000,
    });
    expect(s.raceRuns.a.steps.map((p) => p.step)).toEqual([1, 2]);
    expect(s.raceRuns.a.evals).toHaveLength(1);
    expect(Object.keys(s.raceRuns)).toEqual(['a']);

    store.getState().raceReceive([{ kind: 'error', runId: 'a', message: 'Out of memory.' }]);
    expect(store.getState().raceRuns.a).toMatchObject({ status: 'error', error: 'Out of memory.' });
    store.getState().raceEntryEnded(0, 'error', 'Out of memory.');
    expect(store.getState().race?.entries[0]).toMatchObject({ status: 'error', error: 'Out of memory.' });

    store.getState().raceRunKept('a');
    expect(store.getState().raceRuns).toEqual({});
    expect(store.getState().compareIds).toEqual(['old', 'a']); // the kept record takes the live run's place
    store.getState().requestRaceStop();
    expect(store.getState().race).toMatchObject({ isRunning: true, isStopping: true });
    store.getState().endRace();
    expect(store.getState().race?.isRunning).toBe(false);
  });

  it('collects each run’s streamed answer, and opens Export on the given, compared or latest run', () => {
    const store = createAppStore();
    const s = store.getState();
    s.setCompareAnswer('a', { generated: '', isGenerating: true });
    s.appendCompareGenerated('a', 'to ', false);
    s.appendCompareGenerated('a', 'be', false);
    s.appendCompareGenerated('a', '', true);
    expect(store.getState().compareAnswers.a).toEqual({ generated: 'to be', isGenerating: false });

    s.openExport();
    expect(store.getState().exportRunId).toBe('');
    store.getState().recordRun(recordFromManifest(manifestOf('r1', graph), {}));
    store.getState().openExport();
    expect(store.getState().exportRunId).toBe('r1');
    store.getState().toggleCompareRun('r0');
    store.getState().openExport();
    expect(store.getState().exportRunId).toBe('r0');
    store.getState().openExport('r9');
    expect(store.getState().exportRunId).toBe('r9');
    store.getState().closeExport();
    expect(store.getState().exportRunId).toBeNull();
  });
});
