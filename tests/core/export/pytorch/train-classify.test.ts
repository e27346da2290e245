import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_TORCH, python, removeTempDirs, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses } from './train-helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a bag-of-words classifier (word tokenizer, TSV text and label)', () => {
  it.skipIf(!TORCH_PY)(
    `trains 20 steps on a slice of the review sentences with falling loss${NEEDS_TORCH}`,
    async () => {
      const { dir, data } = await exportTrainedRun('bow-classifier.json', 'sentiment', 'word', 600);
      const out = python(['train.py', '--data', data, '--steps', '20', '--batch', '32'], dir);
      const losses = printedLosses(out, 20);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(losses[19]).toBeLessThan(losses[0] ?? 0);
      expect(mean(losses.slice(15))).toBeLessThan(mean(losses.slice(0, 5)));
    },
  );
});
