import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { setOwnWasmEnabled } from '../../../core/kernels/own-wasm';
import { ownSumsRun } from '../../../core/kernels/wasm-sum';
import { relativeError, seededValues, take, useBackend } from './helpers';

const CASES: { shape: number[]; axis: number | number[]; keepDims: boolean; ours: boolean }[] = [
  { shape: [768, 512], axis: 0, keepDims: false, ours: true }, // a dense layer's bias gradient
  { shape: [12, 64, 130], axis: [0, 1], keepDims: false, ours: true }, // …of a (B, T, D) input; 130: a tail
  { shape: [12, 64, 3], axis: [1, 0], keepDims: true, ours: true }, // axes in any order, kept
  { shape: [5, 7], axis: -2, keepDims: false, ours: true }, // a negative axis
  { shape: [1, 9], axis: 0, keepDims: false, ours: true }, // one row
  { shape: [6, 5], axis: 1, keepDims: false, ours: false }, // a trailing axis: the stock kernel
  { shape: [4, 5, 6], axis: [0, 2], keepDims: false, ours: false }, // not a leading prefix: the stock kernel
  { shape: [4, 5], axis: [0, 1], keepDims: false, ours: false }, // every axis: the stock kernel
];

describe('wasm Sum over leading axes', () => {
  it.each(CASES)('sum of $shape over $axis (keepDims $keepDims) equals the cpu backend', async (c) => {
    const run = () =>
      tf.tidy(() => tf.sum(tf.tensor(seededValues(tf.util.sizeFromShape(c.shape), 3), c.shape), c.axis, c.keepDims));
    await useBackend('cpu');
    const want = run();
    const [shape, values] = [want.shape, take(want)];
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    for (const own of [true, false]) {
      setOwnWasmEnabled(own);
      const before = ownSumsRun();
      const got = run();
      expect(got.shape).toEqual(shape);
      expect(relativeError(take(got), values)).toBeLessThan(1e-5);
      expect(ownSumsRun() - before).toBe(own && c.ours ? 1 : 0); // the route taken
    }
    setOwnWasmEnabled(true);
  });

  it('is the gradient of a bias on wasm: same as cpu, no tensors left', async () => {
    const grad = () =>
      tf.tidy(() => {
        const x = tf.tensor(seededValues(3 * 8 * 12, 4), [3, 8, 12]);
        const bias = tf.tensor1d(seededValues(12, 5));
        return tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(x, b))))(bias);
      });
    await useBackend('cpu');
    const want = take(grad());
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    const before = tf.memory().numTensors;
    expect(relativeError(take(grad()), want)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
