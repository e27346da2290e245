import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batch';

/** Batch arrays → tensors: tokens (B, T) int32; targets and weights (B, T) or (B) for classifiers. */
export function batchTensors(b: Batch): { tokens: tf.Tensor2D; targets: tf.Tensor; weights: tf.Tensor } {
  const perRow = b.targets.length / b.batchSize;
  const targetShape = perRow === 1 ? [b.batchSize] : [b.batchSize, perRow];
  return {
    tokens: tf.tensor2d(b.tokens, [b.batchSize, b.seqLen], 'int32'),
    targets: tf.tensor(b.targets, targetShape, 'int32'),
    weights: tf.tensor(b.weights, targetShape, 'float32'),
  };
}

/** Per-target cross-entropy (N) from logits (..., K) and int targets (...). */
export function crossEntropyPerTarget(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    const flat = tf.reshape(logits, [-1, k]); // (N, K)
    const logp = tf.logSoftmax(flat);
    const onehot = tf.oneHot(tf.reshape(targets, [-1]), k); // (N, K)
    return tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor1D; // (N)
  });
}

/** Mean cross-entropy over targets with weight > 0 (padding and prompts weigh 0). */
export function maskedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const w = tf.reshape(weights, [-1]);
    const per = crossEntropyPerTarget(logits, targets);
    return tf.div(tf.sum(tf.mul(per, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
  });
}

/** Sums for a weighted metric: [Σ w·loss, Σ w·correct, Σ w]. */
export function evalSums(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    const w = tf.reshape(weights, [-1]);
    const per = crossEntropyPerTarget(logits, targets);
    const hit = tf.cast(tf.equal(tf.argMax(tf.reshape(logits, [-1, k]), -1), tf.reshape(targets, [-1])), 'float32');
    return tf.stack([tf.sum(tf.mul(per, w)), tf.sum(tf.mul(hit, w)), tf.sum(w)]) as tf.Tensor1D;
  });
}
