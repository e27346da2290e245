import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { crossEntropyByGather, crossEntropyByOneHot, maskedCrossEntropy } from '../../../core/train/loss';
import { relativeError, seededInts, seededValues, useBackend } from '../kernels/helpers';

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`cross-entropy by gather on ${backend}`, () => {
    it.each([
      { b: 3, t: 5, k: 7, scale: 1 },
      { b: 2, t: 4, k: 300, scale: 20 }, // large logits: log-sum-exp must stay stable
    ])(
      'equals the one-hot form, values and logit gradients, with per-target weights ($b×$t, K $k)',
      async ({ b, t, k, scale }) => {
        await useBackend(backend);
        registerWordloomKernels(backend);
        const before = tf.memory().numTensors;
        const logits = tf.tidy(() => tf.mul(tf.tensor(seededValues(b * t * k, k), [b, t, k]), scale));
        const targets = tf.tensor(seededInts(b * t, 0, k, 2), [b, t], 'int32');
        // Padding and prompt positions weigh 0; the rest 1 or 0.5.
        const weights = tf.tensor(
          Float32Array.from({ length: b * t }, (_, i) => (i % 4 === 3 ? 0 : i % 3 === 0 ? 0.5 : 1)),
          [b, t],
        );
        const mean = (per: (l: tf.Tensor, y: tf.Tensor) => tf.Tensor1D) => (l: tf.Tensor) => {
          const w = tf.reshape(weights, [-1]);
          return tf.div(tf.sum(tf.mul(per(l, targets), w)), tf.maximum(tf.sum(w), 1));
        };
        const want = tf.tidy(() => crossEntropyByOneHot(logits, targets));
        const got = tf.tidy(() => crossEntropyByGather(logits, targets));
        expect(relativeError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
        const gWant = tf.grad(mean(crossEntropyByOneHot))(logits);
        const gGot = tf.grad(mean(crossEntropyByGather))(logits);
        expect(relativeError(gGot.dataSync(), gWant.dataSync())).toBeLessThan(1e-5);
        // maskedCrossEntropy (on cpu the gather path from 256 classes, on wasm our kernels) gives the same loss.
        const loss = maskedCrossEntropy(logits, targets, weights);
        const ref = tf.tidy(() => mean(crossEntropyByOneHot)(logits));
        expect(Math.abs(loss.dataSync()[0] - ref.dataSync()[0])).toBeLessThan(1e-5 * Math.abs(ref.dataSync()[0]));
        const profile = await tf.profile(() => tf.grad(mean(crossEntropyByGather))(logits).dispose());
        expect(profile.kernels.some((kern) => kern.name === 'OneHot')).toBe(false);
        tf.dispose([logits, targets, weights, want, got, gWant, gGot, loss, ref]);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  });
}
