import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { tileGradient } from '../../../core/kernels/tile-grad';
import { relativeError, seededValues, useBackend } from './helpers';

/** x shapes and reps: broadcasts (size-1 axes repeated, the wasm fast path) and general tiles (stock kernel). */
const CASES: { x: number[]; reps: number[] }[] = [
  { x: [1, 1, 8], reps: [3, 5, 1] }, // LayerNormalization's gamma
  { x: [3, 5, 1], reps: [1, 1, 8] }, // its moments
  { x: [2, 1, 1, 6], reps: [1, 1, 6, 1] }, // a key mask over queries
  { x: [4], reps: [3] }, // general: a real axis repeated
  { x: [2, 3], reps: [2, 2] },
  { x: [2, 1, 3], reps: [2, 4, 1] }, // mixed
  { x: [2, 3, 2, 2], reps: [1, 2, 1, 3] },
];

/** What tf.js's own Tile gradient computes: one slice of dy per repetition, summed. */
function slicedGradient(dy: tf.Tensor, xShape: number[], reps: number[]): tf.Tensor {
  return tf.tidy(() => {
    let grad = tf.zeros(xShape);
    const index = reps.map(() => 0);
    const total = reps.reduce((a, b) => a * b, 1);
    for (let n = 0; n < total; n++) {
      let rest = n;
      for (let axis = reps.length - 1; axis >= 0; axis--) {
        index[axis] = rest % reps[axis];
        rest = Math.floor(rest / reps[axis]);
      }
      grad = tf.add(
        grad,
        tf.slice(
          dy,
          index.map((i, axis) => i * xShape[axis]),
          xShape,
        ),
      );
    }
    return grad;
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Tile on ${backend} with Wordloom's kernels and gradient`, () => {
    it.each(CASES)('x $x tiled by $reps: values and gradient equal the sliced reference', async ({ x, reps }) => {
      await useBackend(backend);
      registerWordloomKernels(backend);
      const before = tf.memory().numTensors;
      const input = tf.tensor(seededValues(tf.util.sizeFromShape(x), x.length + reps[0]), x);
      const outShape = x.map((s, i) => s * reps[i]);
      const dy = tf.tensor(seededValues(tf.util.sizeFromShape(outShape), 7), outShape);
      // The reference tile: concatenation along each axis, no Tile kernel involved.
      const expected = tf.tidy(() =>
        reps.reduce(
          (t, r, axis) =>
            tf.concat(
              Array.from({ length: r }, () => t),
              axis,
            ),
          input as tf.Tensor,
        ),
      );
      const tiled = tf.tile(input, reps);
      expect(tiled.shape).toEqual(outShape);
      expect(relativeError(tiled.dataSync(), expected.dataSync())).toBe(0);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, reps), dy)))(input);
      const reference = slicedGradient(dy, x, reps);
      expect(grad.shape).toEqual(x);
      expect(relativeError(grad.dataSync(), reference.dataSync())).toBeLessThan(1e-6);
      const direct = tf.tidy(() => tileGradient(dy, x, reps));
      expect(relativeError(direct.dataSync(), reference.dataSync())).toBeLessThan(1e-6);
      tf.dispose([input, dy, expected, tiled, grad, reference, direct]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
