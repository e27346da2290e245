import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../../../core/run/manifest';
import {
  ASSUMED_FLOPS,
  datasetName,
  estimateRun,
  etaSeconds,
  formatDuration,
  measuredTokensPerSec,
  smooth,
  tokenizerName,
} from '../../../renderer/lib/trainSetup';

const point = (step: number, elapsed: number, tokensPerSec = 100): StepPoint => ({
  step,
  loss: 1,
  lr: 0.001,
  tokensPerSec,
  elapsed,
  tokens: step * 10,
});

describe('training setup helpers', () => {
  it('estimates time from FLOPs/token × tokens × 3 over the backend speed, and memory from params and batch', () => {
    const totals = { params: 1000, flopsPerToken: 2e6, activations: 5000 };
    const e = estimateRun(totals, 64, 100, 4, 'webgl');
    expect(e.tokens).toBe(100 * 4 * 64);
    expect(e.seconds).toBeCloseTo((3 * 2e6 * 25_600) / ASSUMED_FLOPS.webgl);
    expect(e.memoryBytes).toBe(1000 * 4 * 4 + 5000 * 4 * 4);
    // An unknown backend (none yet) is assumed to be the slowest.
    expect(estimateRun(totals, 64, 100, 4, null).seconds).toBeCloseTo((3 * 2e6 * 25_600) / ASSUMED_FLOPS.cpu);
  });

  it('measures pace from the recent steps: tokens/s as a median, ETA from steps per second', () => {
    const steps = [point(1, 1, 90), point(2, 2, 5000), point(3, 3, 110), point(4, 4, 100)];
    expect(measuredTokensPerSec(steps)).toBe(110); // one outlier does not move a median
    expect(measuredTokensPerSec([])).toBeNull();
    expect(etaSeconds(steps, 10)).toBeCloseTo(6); // 1 step/s, 6 steps left
    expect(etaSeconds(steps.slice(0, 1), 10)).toBeNull();
  });

  it('smooths like TensorBoard (debiased EMA) and leaves raw values alone at 0', () => {
    expect(smooth([4, 2], 0)).toEqual([4, 2]);
    const s = smooth([4, 2, 2, 2], 0.5);
    expect(s[0]).toBeCloseTo(4); // debiased: the first value is itself
    expect(s[1]).toBeCloseTo((0.5 * 4 * 0.5 + 0.5 * 2) / (1 - 0.25));
    expect(s[3]).toBeLessThan(s[1]);
  });

  it("defaults the data to the graph's task and the tokenizer to the dataset's own", () => {
    expect(datasetName({}, 'classify')).toBe('sentiment');
    expect(datasetName({ dataset: 'pos' }, 'classify')).toBe('pos');
    expect(tokenizerName({}, 'pos')).toBe('word');
    expect(tokenizerName({}, 'mine.txt')).toBe('char');
    expect(tokenizerName({ tokenizer: 'bpe:300' }, 'pos')).toBe('bpe:300');
  });

  it('writes durations for people', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(150)).toBe('3 min');
    expect(formatDuration(4800)).toBe('1 h 20 min');
  });
});
