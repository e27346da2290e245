import * as tf from '@tensorflow/tfjs';
import { keepMask, pair, shapePair, type LayerShape } from './ops';

/** Padding positions sit this far below every real value, so max never picks them. */
const FLOOR = -1e9;

/** Max over the real (non-padding) positions: [x (B, T, D), tokens (B, T)] -> (B, D); all-padding rows give zeros. */
export class MaskedMaxPool extends tf.layers.Layer {
  static className = 'MaskedMaxPool';

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, , dim]] = shapePair(inputShape, MaskedMaxPool.className);
    return [batch ?? null, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MaskedMaxPool.className);
      const keep = keepMask(tokens); // (B, T)
      const mask = tf.expandDims(keep, -1); // (B, T) -> (B, T, 1)
      const lifted = tf.add(tf.mul(x, mask), tf.mul(tf.sub(1, mask), FLOOR)); // (B, T, D): real values exact, padding at FLOOR
      const anyReal = tf.minimum(tf.sum(keep, 1, true), 1); // (B, T) -> (B, 1)
      return tf.mul(tf.max(lifted, 1), anyReal); // (B, T, D) -> (B, D)
    });
  }
}
