import { describe, expect, it } from 'vitest';
import { runSummary } from '../../core/export/summary';
import { recordFromManifest } from '../../renderer/lib/runRecord';
import {
  compareRow,
  compareRunOfRecord,
  compareRunsOf,
  compareSeries,
} from '../../renderer/panels/compare/compareData';
import { lossColour } from '../../renderer/panels/compare/colours';
import type { LiveRun } from '../../renderer/store/runSlice';
import { manifestOf, stepsOf, template } from './compare/fixtures';

describe('compare table rows', () => {
  it('a kept run’s row has the numbers `wordloom compare` prints for the same run', () => {
    for (const task of ['next-token', 'classify'] as const) {
      const graph = template(task === 'next-token' ? 'mini-gpt' : 'bow-classifier');
      const evals =
        task === 'next-token'
          ? undefined
          : [
              { step: 5, valLoss: 0.6, valAccuracy: 0.7, elapsed: 2 },
              { step: 10, valLoss: 0.5, valAccuracy: 0.8, elapsed: 4 },
            ];
      const manifest = manifestOf('r1', graph, { task, evals });
      const row = compareRow(compareRunOfRecord(recordFromManifest(manifest, { weightsRef: 'indexeddb:p/r1' })));
      const s = runSummary(manifest);
      expect(row).toMatchObject({
        architecture: s.architecture,
        params: s.params,
        flopsPerToken: s.flopsPerToken,
        tokensPerSec: s.tokensPerSec,
        backend: s.backend,
        bestValLoss: s.bestValLoss,
        seconds: s.seconds,
        steps: s.steps,
      });
      if (task === 'next-token') expect(row.metric).toEqual({ kind: 'perplexity', value: s.perplexity });
      else expect(row.metric).toEqual({ kind: 'accuracy', value: s.valAccuracy });
    }
  });

  it('a live race run is compared by what it has measured so far', () => {
    const live: LiveRun = {
      id: 'live',
      name: 'GRU · shakespeare · 10:01',
      status: 'training',
      totalSteps: 100,
      step: 4,
      steps: stepsOf(4),
      evals: [],
      labels: [],
      params: 999,
      task: 'next-token',
      hasModel: false,
    };
    const graph = template('gru-lm');
    const entries = [{ key: 'gru-lm', label: 'GRU', graph, runId: 'live', status: 'training' as const }];
    const runs = compareRunsOf(['missing', 'live'], [], { live }, entries, 'webgl');
    expect(runs.map((r) => r.id)).toEqual(['live']);
    const row = compareRow(runs[0]);
    expect(row).toMatchObject({
      params: 999,
      backend: 'webgl',
      bestValLoss: null,
      steps: 4,
      seconds: 2,
      status: 'training',
    });
    expect(row.architecture).toBe('TokenInput → Embedding → GRU → NextTokenHead');
    expect(row.metric).toBeUndefined();
  });
});

describe('compare series (one x axis for every run)', () => {
  const a = { steps: stepsOf(4, { dt: 1, tokens: 100 }), evals: [{ step: 2, valLoss: 3.7, elapsed: 2.2 }] };
  const b = { steps: stepsOf(3, { dt: 3, tokens: 50, loss0: 5 }), evals: [{ step: 3, valLoss: 4.6, elapsed: 9.5 }] };

  it('against steps: a shared x, each run’s train loss and validation points in its own columns', () => {
    const { data, series } = compareSeries([a, b], 'step', 0);
    expect(series).toEqual([
      { run: 0, kind: 'train' },
      { run: 0, kind: 'val' },
      { run: 1, kind: 'train' },
      { run: 1, kind: 'val' },
    ]);
    expect(data[0]).toEqual([1, 2, 3, 4]);
    [4, 3.9, 3.8, 3.7].forEach((v, i) => expect(data[1][i]).toBeCloseTo(v, 9));
    expect(data[2]).toEqual([null, 3.7, null, null]);
    expect(data[3].slice(3)).toEqual([null]);
    [5, 4.9, 4.8].forEach((v, i) => expect(data[3][i]).toBeCloseTo(v, 9));
    expect(data[4]).toEqual([null, null, 4.6, null]);
  });

  it('against time and tokens: x is elapsed seconds or tokens seen, validation placed at its step’s tokens', () => {
    const time = compareSeries([a, b], 'time', 0);
    expect(time.data[0]).toEqual([1, 2, 2.2, 3, 4, 6, 9, 9.5]);
    expect(time.data[2][2]).toBe(3.7); // a's validation at 2.2 s
    expect(time.data[4][7]).toBe(4.6);
    const tokens = compareSeries([a, b], 'tokens', 0);
    expect(tokens.data[0]).toEqual([50, 100, 150, 200, 300, 400]);
    expect(tokens.data[2]).toEqual([null, null, null, 3.7, null, null]); // step 2 of a = 200 tokens
    expect(tokens.data[4]).toEqual([null, null, 4.6, null, null, null]); // step 3 of b = 150 tokens
  });

  it('smooths train loss per run, and a diverged loss leaves a gap instead of a point', () => {
    const noisy = { steps: stepsOf(3).map((p, i) => ({ ...p, loss: i === 1 ? NaN : 4 })), evals: [] };
    const { data } = compareSeries([noisy], 'step', 0.9);
    expect(data[1]).toEqual([4, null, 4]);
    const rough = { steps: stepsOf(3).map((p, i) => ({ ...p, loss: [4, 0, 4][i] })), evals: [] };
    const smoothed = compareSeries([rough], 'step', 0.5).data[1];
    expect(smoothed[1]).toBeGreaterThan(0.5); // pulled towards the run's earlier losses
  });

  it('colours a token from green (expected) to red (surprised) by its loss', () => {
    expect(lossColour(undefined)).toBeUndefined();
    expect(lossColour(0)).toMatch(/^hsl\(120 /);
    expect(lossColour(99)).toMatch(/^hsl\(0 /);
    expect(lossColour(2.5)).toMatch(/^hsl\(60 /);
  });
});
