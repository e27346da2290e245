import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import type { Batch } from '../../../core/data/batch';
import { evaluateModel } from '../../../core/train/trainer';
import { perClassAccuracy } from '../../../renderer/lib/classMetrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Token 1 scores class 0, token 2 class 1, token 3 class 2 (embedding = one-hot scores, mean-pooled). */
function fixedClassifier(): tf.LayersModel {
  const table = tf.tensor2d([
    [0, 0, 0],
    [5, 0, 0],
    [0, 5, 0],
    [0, 0, 5],
  ]);
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 4, outputDim: 3, inputLength: 2, weights: [table] }),
      tf.layers.globalAveragePooling1d(),
    ],
  });
}

it('evaluation counts a confusion matrix [true][predicted] that matches its accuracy, and leaks no tensors', async () => {
  const model = fixedClassifier();
  // Six rows: the model says class(token). Targets: three right, three wrong in known places.
  const said = [0, 1, 2, 0, 1, 2];
  const truth = [0, 1, 2, 1, 2, 2];
  const batch: Batch = {
    batchSize: 6,
    seqLen: 2,
    tokens: Int32Array.from(said.flatMap((c) => [c + 1, 0])),
    targets: Int32Array.from(truth),
    weights: new Float32Array(6).fill(1),
  };
  const before = tf.memory().numTensors;
  const r = await evaluateModel(model, 'classify', [batch, batch]);
  expect(tf.memory().numTensors).toBe(before);
  expect(r.confusion).toEqual([
    [2, 0, 0],
    [2, 2, 0],
    [0, 2, 4],
  ]);
  expect(r.valAccuracy).toBeCloseTo(8 / 12, 6);
  expect(perClassAccuracy(r.confusion ?? [])).toEqual([1, 0.5, 4 / 6]);
  const lm = await evaluateModel(model, 'next-token', [batch]);
  expect(lm.confusion).toBeUndefined();
});
