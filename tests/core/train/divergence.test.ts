import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../core/host-node/backend';
import { loadDataset } from '../../../core/host-node/datasets';
import { trainRun } from '../../../core/run/session';
import { withTrainDefaults, type TrainEvent } from '../../../core/train/protocol';
import { DivergenceGuard, divergenceMessage } from '../../../core/train/trainer';
import { makeGraph, makeNode } from '../../builders';

// The divergence guard: a loss that climbs far above its start and a uniform guess, and stays there, stops a run
// with one sentence; a normal run (real data, fixed seed) is never stopped by it.

beforeAll(async () => {
  await startNodeBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const lstmLm = () =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 24 }, 'in'),
      makeNode('Embedding', { dim: 32 }, 'emb'),
      makeNode('LSTM', { units: 64 }, 'rnn'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    [
      ['in', 'emb'],
      ['emb', 'rnn'],
      ['rnn', 'head'],
    ],
  );

async function train(learningRate: number, steps: number) {
  const events: TrainEvent[] = [];
  const run = await trainRun({
    graph: lstmLm(),
    data: loadDataset('shakespeare', { tokenizer: 'char' }),
    backend: 'wasm',
    config: withTrainDefaults({
      steps,
      batchSize: 8,
      learningRate,
      warmupSteps: 0,
      gradClip: 0,
      evalEvery: 1000,
      seed: 3,
    }),
    emit: (e) => events.push(e),
    yieldToHost: async () => {},
  });
  run.model.dispose();
  return { events, steps: events.filter((e) => e.event === 'step') as Extract<TrainEvent, { event: 'step' }>[] };
}

describe('DivergenceGuard', () => {
  it('trips only after the loss has stayed above factor × max(first loss, ln K) for `patience` steps', () => {
    const guard = new DivergenceGuard(Math.log(60)); // ln 60 ≈ 4.09; first loss 4.2 → limit 12.6
    for (const loss of [4.2, 13, 20, 30, 40]) expect(guard.check(loss)).toBeUndefined();
    expect(guard.check(12)).toBeUndefined(); // back under the limit: the count starts again
    for (const loss of [50, 60, 70, 80]) expect(guard.check(loss)).toBeUndefined();
    expect(guard.check(90)).toMatchObject({ loss: 90, initial: 4.2, steps: 5 });
  });

  it('uses ln K when the first loss is already low (a fine-tuned or resumed model)', () => {
    const guard = new DivergenceGuard(Math.log(100)); // first loss 0.5, ln 100 ≈ 4.6 → limit ≈ 13.8
    guard.check(0.5);
    for (let i = 0; i < 10; i++) expect(guard.check(10)).toBeUndefined();
  });

  it('names the loss, the limit, the learning rate and the backend in one sentence', () => {
    const msg = divergenceMessage(6, { loss: 24387, initial: 4.19, uniform: 4.2, steps: 5 }, 0.001, 'webgpu');
    expect(msg).toBe(
      'Training stopped at step 6: the loss climbed to 24,387 and stayed above 12.6 (3× the larger of its first loss, ' +
        '4.19, and a uniform guess, 4.20) for 5 steps. Lower the learning rate (now 0.001), or train on another backend than webgpu.',
    );
    expect(msg.split('. ').length).toBe(2); // one statement, one advice
  });
});

describe('training with the guard, on Shakespeare', () => {
  it('a learning rate that makes the loss explode stops the run with the sentence', async () => {
    const { events, steps } = await train(30, 60);
    const error = events.find((e) => e.event === 'error');
    expect(error?.event === 'error' && error.message).toMatch(
      /^Training stopped at step \d+: the loss climbed to .* Lower the learning rate \(now 30\), or train on another backend than wasm\.$/,
    );
    expect(steps.length).toBeLessThan(60);
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true); // stopped by the guard, not by a NaN
    expect(events.some((e) => e.event === 'done')).toBe(false);
  }, 120_000);

  it('a normal run is never stopped', async () => {
    const { events, steps } = await train(3e-3, 60);
    expect(events.find((e) => e.event === 'error')).toBeUndefined();
    expect(steps).toHaveLength(60);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0].loss);
  }, 120_000);
});
