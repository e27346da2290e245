import * as tf from '@tensorflow/tfjs';
import { keepMask, pair, shapePair, type LayerShape } from './ops';

/** x at the last non-padding position: [x (B, T, D), tokens (B, T)] -> (B, D); all-padding rows give zeros. */
export class LastToken extends tf.layers.Layer {
  static className = 'LastToken';

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, , dim]] = shapePair(inputShape, LastToken.className);
    return [batch ?? null, dim ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, LastToken.className);
      const keep = keepMask(tokens); // (B, T)
      const seqLen = keep.shape[1] ?? 0;
      const rank = tf.mul(keep, tf.range(1, seqLen + 1)); // (B, T): position + 1 at real tokens, 0 at padding
      const last = tf.max(rank, 1, true); // (B, T) -> (B, 1): 0 when the row is all padding
      const pick = tf.mul(tf.cast(tf.equal(rank, last), 'float32'), keep); // (B, T): one-hot of the last real token
      return tf.sum(tf.mul(x, tf.expandDims(pick, -1)), 1); // (B, T, D) * (B, T, 1) -> (B, D)
    });
  }
}
