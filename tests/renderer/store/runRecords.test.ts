import { describe, expect, it } from 'vitest';
import { parseProjectText, serializeProject, type Project } from '../../../core/project/project';
import type { RunManifest } from '../../../core/run/manifest';
import { DEFAULT_TRAIN_CONFIG } from '../../../core/train/protocol';
import { isPrediction, newRunId, recordFromManifest } from '../../../renderer/lib/runRecord';
import { currentProject } from '../../../renderer/services/projectCommands';
import { createAppStore } from '../../../renderer/store';
import { liveRunFromRecord } from '../../../renderer/store/runSlice';
import { dataChoiceOf } from '../../../renderer/store/trainingSlice';
import { chain, makeGraph, makeNode } from '../../builders';

const graph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 8 }, 'in'),
    makeNode('Embedding', { dim: 4 }, 'emb'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'head'),
  'Tiny LM',
);

function manifest(): RunManifest {
  return {
    format: 'wordloom-run',
    version: 1,
    id: 'run-1',
    name: 'Tiny LM · shakespeare · 10:00',
    createdAt: '2026-01-01T10:00:00.000Z',
    graph,
    data: { source: 'shakespeare', task: 'next-token', promptCompletion: false, valFraction: 0.1 },
    tokenizer: 'char',
    labels: [],
    binding: { vocabSize: 67, numClasses: 2 },
    seqLen: 8,
    training: { ...DEFAULT_TRAIN_CONFIG, steps: 3 },
    backend: 'webgl',
    attention: [],
    totals: { params: 300, flopsPerToken: 600 },
    metrics: {
      steps: [
        { step: 1, loss: 4.2, lr: 0.001, tokensPerSec: 900, elapsed: 0.5, tokens: 128 },
        { step: 2, loss: Number.NaN, lr: 0.002, tokensPerSec: Number.POSITIVE_INFINITY, elapsed: 1, tokens: 256 },
        { step: 3, loss: 3.9, lr: 0.003, tokensPerSec: 950, elapsed: 1.5, tokens: 384 },
      ],
      evals: [{ step: 3, valLoss: 4.0, perplexity: 54.6, elapsed: 1.6 }],
    },
    result: { steps: 3, trainLoss: 3.9, valLoss: 4.0, seconds: 1.6, stopped: false },
  };
}

const probe = {
  step: 3,
  prediction: {
    kind: 'next-token' as const,
    tokens: [
      { text: 'R', id: 5, top: [{ token: 'O', id: 6, p: 0.4 }] },
      { text: 'O', id: 6, p: 0.4, loss: 0.92, top: [] },
    ],
  },
};

describe('run records in the project', () => {
  it('survive a save → open round trip with curves, weights ref and probe, and redraw the same charts', () => {
    const store = createAppStore({ graph });
    store.getState().recordRun(recordFromManifest(manifest(), { weightsRef: 'indexeddb:Tiny LM/run-1', probe }));
    expect(store.getState().isDirty).toBe(true);

    const text = serializeProject(currentProject(store));
    const parsed = parseProjectText(text, 'tiny.wordloom.json');
    expect(parsed.error).toBeUndefined();
    const project: Project | undefined = parsed.project;
    const record = project?.runs[0];
    expect(record).toMatchObject({ id: 'run-1', backend: 'webgl', weightsRef: 'indexeddb:Tiny LM/run-1' });
    expect(record?.training).toMatchObject({ dataset: 'shakespeare', tokenizer: 'char', steps: 3 });
    // JSON has no NaN: a diverged loss is saved as null, and non-finite side fields are left out.
    expect(record?.metrics.steps[1]).toEqual({ step: 2, loss: null, lr: 0.002, elapsed: 1, tokens: 256 });

    const live = record && liveRunFromRecord(record);
    expect(live).toMatchObject({
      id: 'run-1',
      status: 'done',
      totalSteps: 3,
      step: 3,
      hasModel: false,
      task: 'next-token',
    });
    expect(live?.steps.map((p) => p.loss)).toEqual([4.2, Number.NaN, 3.9]);
    expect(live?.evals.map((p) => p.valLoss)).toEqual([4.0]);
    expect(live?.probe).toEqual(probe);
  });

  it('replaces a record with the same id instead of adding a second', () => {
    const store = createAppStore({ graph });
    store.getState().recordRun(recordFromManifest(manifest(), {}));
    store.getState().recordRun(recordFromManifest({ ...manifest(), name: 'renamed' }, {}));
    expect(store.getState().runs.map((r) => r.name)).toEqual(['renamed']);
  });

  it('drops a probe that does not read as a prediction (a hand-edited file)', () => {
    expect(isPrediction(probe.prediction)).toBe(true);
    expect(isPrediction({ kind: 'next-token', tokens: [{ text: 'a' }] })).toBe(false);
    expect(isPrediction({ kind: 'classify', label: 'pos', probs: {}, tokens: [{ text: 'a', weight: 'x' }] })).toBe(
      false,
    );
    const record = recordFromManifest(manifest(), { probe });
    expect(liveRunFromRecord({ ...record, probe: { step: 1, prediction: { kind: 'tag' } } }).probe).toBeUndefined();
  });

  it("picks the data the graph's head can train on, and the user's own text when it is the chosen set", () => {
    expect(dataChoiceOf({}, null, 'classify')).toEqual({ kind: 'bundled', name: 'sentiment' });
    expect(dataChoiceOf({}, null, 'tag')).toEqual({ kind: 'bundled', name: 'pos' });
    expect(dataChoiceOf({}, null, undefined)).toEqual({ kind: 'bundled', name: 'shakespeare' });
    const mine = { name: 'notes.txt', text: 'hello hello' };
    expect(dataChoiceOf({ dataset: 'notes.txt' }, mine, 'next-token')).toEqual({ kind: 'text', ...mine });
    expect(dataChoiceOf({ dataset: 'pos' }, mine, 'tag')).toEqual({ kind: 'bundled', name: 'pos' });
  });

  it('makes run ids that differ between runs started in the same millisecond', () => {
    const at = new Date(0);
    const ids = [0.1, 0.7].map((r) => newRunId(at, () => r));
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toMatch(/^run-0-[0-9a-z]{4}$/);
  });
});
