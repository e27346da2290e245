import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../core/data/batch';
import { TrainControl } from '../../../core/train/control';
import { withTrainDefaults, type TrainEvent } from '../../../core/train/protocol';
import { learningRateAt } from '../../../core/train/schedule';
import { withSeededRandom } from '../../../core/train/seed';
import { runTraining, type BatchSource } from '../../../core/train/trainer';

// A learnable toy task: the next token is (token + 1) mod V.
const V = 8;
const T = 6;
function toyBatch(rng: () => number, batchSize = 8): Batch {
  const tokens = new Int32Array(batchSize * T);
  const targets = new Int32Array(batchSize * T);
  for (let i = 0; i < tokens.length; i++) {
    tokens[i] = 1 + Math.floor(rng() * (V - 1));
    targets[i] = (tokens[i] % (V - 1)) + 1;
  }
  return { batchSize, seqLen: T, tokens, targets, weights: new Float32Array(tokens.length).fill(1) };
}
const toySource = (): BatchSource => {
  const fixed = [toyBatch(() => 0.37), toyBatch(() => 0.81)];
  return { nextBatch: (rng) => toyBatch(rng), evalBatches: () => fixed };
};
const toyModel = (seed = 1): tf.LayersModel =>
  withSeededRandom(seed, () => {
    const input = tf.input({ shape: [T], dtype: 'int32' });
    const emb = tf.layers.embedding({ inputDim: V, outputDim: 16 }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: V }).apply(emb) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runTraining', () => {
  it('lowers the validation loss of a learnable task and reports step, eval and done events', async () => {
    const events: TrainEvent[] = [];
    const model = toyModel();
    const res = await runTraining({
      model,
      task: 'next-token',
      config: withTrainDefaults({ steps: 60, evalEvery: 20, learningRate: 0.02, warmupSteps: 5 }),
      data: toySource(),
      emit: (e) => events.push(e),
      yieldToHost: async () => {},
    });
    const evals = events.filter((e) => e.event === 'eval');
    expect(evals.length).toBe(3);
    expect(res.valLoss).toBeLessThan(0.5);
    expect(res.valLoss).toBeLessThan((evals[0] as { valLoss: number }).valLoss);
    expect(events.filter((e) => e.event === 'step')).toHaveLength(60);
    expect(events.at(-1)?.event).toBe('done');
    model.dispose();
  });

  it('keeps tf.memory().numTensors flat from step 10 to step 200', async () => {
    const model = toyModel();
    const counts = new Map<number, number>();
    await runTraining({
      model,
      task: 'next-token',
      config: withTrainDefaults({ steps: 200, evalEvery: 50 }),
      data: toySource(),
      emit: (e) => {
        if (e.event === 'step' && (e.step === 10 || e.step === 200)) counts.set(e.step, tf.memory().numTensors);
      },
      yieldToHost: async () => {},
    });
    expect(counts.get(10)).toBeGreaterThan(0);
    expect(counts.get(200)).toBe(counts.get(10));
    model.dispose();
  });

  it('stops with one clear sentence when the loss becomes NaN or infinite', async () => {
    const model = toyModel();
    const events: TrainEvent[] = [];
    const res = await runTraining({
      model,
      task: 'next-token',
      config: withTrainDefaults({ steps: 100, learningRate: 1e6, gradClip: 0, warmupSteps: 0 }),
      data: toySource(),
      emit: (e) => events.push(e),
      yieldToHost: async () => {},
    });
    expect(res.failed).toBe(true);
    const err = events.find((e) => e.event === 'error');
    expect(err && 'message' in err && err.message).toMatch(/^Training stopped at step \d+: the loss became (NaN|Infinity|-Infinity)\. Lower the learning rate/);
    expect(res.steps).toBeLessThan(100);
    model.dispose();
  });

  it('pauses, resumes from the same step and stops on request', async () => {
    const model = toyModel();
    const control = new TrainControl();
    const events: TrainEvent[] = [];
    const run = runTraining({
      model,
      task: 'next-token',
      config: withTrainDefaults({ steps: 1000, evalEvery: 1000 }),
      data: toySource(),
      control,
      emit: (e) => {
        events.push(e);
        if (e.event === 'step' && e.step === 5) control.pause();
        if (e.event === 'paused') setTimeout(() => control.resume(), 10);
        if (e.event === 'step' && e.step === 8) control.stop();
      },
    });
    const res = await run;
    const kinds = events.map((e) => e.event);
    expect(kinds).toContain('paused');
    const resumed = events.find((e) => e.event === 'resumed');
    expect(resumed && 'step' in resumed && resumed.step).toBe(5);
    const steps = events.filter((e) => e.event === 'step').map((e) => (e as { step: number }).step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(res.stopped).toBe(true);
    model.dispose();
  });

  it('is reproducible with a fixed seed', async () => {
    const losses: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const model = toyModel(7);
      const l: number[] = [];
      await runTraining({
        model,
        task: 'next-token',
        config: withTrainDefaults({ steps: 10, seed: 3 }),
        data: toySource(),
        emit: (e) => e.event === 'step' && l.push(e.loss),
        yieldToHost: async () => {},
      });
      losses.push(l);
      model.dispose();
    }
    expect(losses[1]).toEqual(losses[0]);
  });
});

describe('learningRateAt', () => {
  it('warms up linearly then decays by a cosine to the floor', () => {
    const c = withTrainDefaults({ steps: 100, warmupSteps: 10, learningRate: 1, minLrRatio: 0.1 });
    expect(learningRateAt(0, c)).toBeCloseTo(1 / 11);
    expect(learningRateAt(10, c)).toBeCloseTo(1);
    expect(learningRateAt(55, c)).toBeCloseTo(0.55);
    expect(learningRateAt(100, c)).toBeCloseTo(0.1);
    for (let s = 11; s < 100; s++) expect(learningRateAt(s, c)).toBeLessThanOrEqual(learningRateAt(s - 1, c));
  });
});
