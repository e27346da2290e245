import * as tf from '@tensorflow/tfjs';
import { keepMask, pair, shapePair, type LayerShape } from './ops';

/** Mean over the real (non-padding) positions: [x (B, T, D), tokens (B, T)] -> (B, D); all-padding rows give zeros. */
export class MaskedMeanPool extends tf.layers.Layer {
  static className = 'MaskedMeanPool';

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, , dim]] = shapePair(inputShape, MaskedMeanPool.className);
    return [batch ?? null, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MaskedMeanPool.className);
      const mask = tf.expandDims(keepMask(tokens), -1); // (B, T) -> (B, T, 1)
      const sum = tf.sum(tf.mul(x, mask), 1); // (B, T, D) -> (B, D)
      const count = tf.maximum(tf.sum(mask, 1), 1); // (B, T, 1) -> (B, 1)
      return tf.div(sum, count); // (B, D)
    });
  }
}
