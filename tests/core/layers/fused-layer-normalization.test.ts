import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { FusedLayerNormalization } from '../../../core/layers/fused-norm';
import { relativeError, seededValues, useBackend } from '../kernels/helpers';

/**
 * The LayerNorm node's layer (tf.js' LayerNormalization with its usual case fused) against tf.js' own layer with
 * the same weights: values and gradients w.r.t. x, γ and β, the same class name and config, fewer kernels.
 */
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`FusedLayerNormalization on ${backend}`, () => {
    it('equals tf.layers.layerNormalization, values and gradients, with a third of the kernels or fewer', async () => {
      await useBackend(backend);
      registerWordloomKernels(backend);
      const before = tf.memory().numTensors;
      const [B, T, D] = [3, 5, 12];
      const x = tf.tidy(() => tf.add(tf.mul(tf.tensor(seededValues(B * T * D, 51), [B, T, D]), 3), 1));
      const fused = new FusedLayerNormalization({ axis: -1, epsilon: 1e-5, name: 'ln_fused' });
      const stock = tf.layers.layerNormalization({ axis: -1, epsilon: 1e-5, name: 'ln_stock' });
      tf.dispose([fused.apply(x), stock.apply(x)] as tf.Tensor[]); // builds the weights
      const weights = [tf.tensor(seededValues(D, 52)), tf.tensor(seededValues(D, 53))]; // γ, β
      fused.setWeights(weights);
      stock.setWeights(weights);
      expect(fused.getClassName()).toBe('LayerNormalization');
      expect({ ...fused.getConfig(), name: '' }).toEqual({ ...stock.getConfig(), name: '' });
      const dy = tf.tensor(seededValues(B * T * D, 54), [B, T, D]);
      const run = (layer: tf.layers.Layer) =>
        tf.tidy(() => {
          const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable); // γ, β
          const f = (xs: tf.Tensor) => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, dy));
          const y = Array.from((layer.apply(x) as tf.Tensor).dataSync());
          const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, weights);
          const dx = Array.from(tf.grad(f)(x).dataSync());
          return [y, dx, ...weights.map((w) => Array.from(grads[w.name].dataSync()))];
        });
      const [got, want] = [run(fused), run(stock)];
      got.forEach((g, i) => expect(relativeError(g, want[i]), `output ${i}`).toBeLessThan(1e-5));
      const kernels = async (layer: tf.layers.Layer) =>
        (await tf.profile(() => tf.dispose(tf.grad((xs: tf.Tensor) => tf.sum(layer.apply(xs) as tf.Tensor))(x))))
          .kernels.length;
      expect(await kernels(fused)).toBeLessThan((await kernels(stock)) / 3);
      tf.dispose([x, dy, ...weights]);
      fused.dispose();
      stock.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
