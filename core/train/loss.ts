import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batch';
import { fusedCrossEntropy, hasCrossEntropyKernels } from '../kernels/cross-entropy';

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

/**
 * Backends where the loss picks each target's logit with a gather instead of a one-hot (N, K) product: the
 * gradient of that gather is UnsortedSegmentSum, which Wordloom registers in O(N) for these two (core/kernels).
 * A one-hot of a 50k-token vocabulary at B·T = 768 is 154 MB of float32; the gather needs N values. The GPU
 * backends keep the one-hot form, which their kernel tests (tests/e2e/webgpu) check against wasm.
 */
const GATHER_BACKENDS = new Set(['cpu', 'wasm']);
const GATHER_FROM = 256;

/** Per-target cross-entropy (N) from logits (..., K) and int targets (...). */
export function crossEntropyPerTarget(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  const k = logits.shape[logits.shape.length - 1];
  // Below GATHER_FROM classes the one-hot is small and its path runs fewer kernels (Mini GPT, V = 69: 985 against 1,016).
  if (GATHER_BACKENDS.has(tf.getBackend()) && k >= GATHER_FROM) return crossEntropyByGather(logits, targets);
  return crossEntropyByOneHot(logits, targets);
}

/** log Σ exp(logits) − logit[target] per row, the target's logit gathered from the flat (N·K) logits. */
export function crossEntropyByGather(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    const flat = tf.reshape(logits, [-1, k]); // (N, K)
    const n = flat.shape[0];
    const at = tf.add(
      tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(k, 'int32')),
      tf.reshape(tf.cast(targets, 'int32'), [-1]),
    ); // (N): row·K + target
    const picked = tf.gather(tf.reshape(flat, [-1]), at); // (N)
    return tf.sub(tf.logSumExp(flat, -1), picked) as tf.Tensor1D; // (N)
  });
}

/** The same cross-entropy through log-softmax and a one-hot mask (GPU backends, and the tests' reference). */
export function crossEntropyByOneHot(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    const flat = tf.reshape(logits, [-1, k]); // (N, K)
    const logp = tf.logSoftmax(flat);
    const onehot = tf.oneHot(tf.reshape(targets, [-1]), k); // (N, K)
    return tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor1D; // (N)
  });
}

/**
 * Mean cross-entropy over targets with weight > 0 (padding and prompts weigh 0). On wasm it is one kernel each way
 * (core/kernels/cross-entropy.ts); `fused` false composes it from tf.js ops there too (the reference).
 */
export function maskedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor, fused = true): tf.Scalar {
  if (fused && logits.dtype === 'float32' && hasCrossEntropyKernels())
    return fusedCrossEntropy(logits, targets, weights);
  return tf.tidy(() => {
    const w = tf.reshape(weights, [-1]);
    const per = crossEntropyPerTarget(logits, targets);
    return tf.div(tf.sum(tf.mul(per, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
  });
}

/** Sums for a weighted metric: [Σ w·loss, Σ w·correct, Σ w]. */
/**
 * Confusion counts of a batch: [target][predicted], each weighted (padding and unlabelled positions weigh 0).
 * For classifiers and taggers (`k` classes).
 */
export function confusionCounts(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1] ?? 0;
    const w = tf.reshape(weights, [-1, 1]);
    const pred = tf.oneHot(tf.argMax(tf.reshape(logits, [-1, k]), -1), k); // (N, K)
    const truth = tf.oneHot(tf.cast(tf.reshape(targets, [-1]), 'int32'), k); // (N, K); -1 targets are all-zero rows
    return tf.matMul(tf.mul(truth, w), pred, true, false) as tf.Tensor2D; // (K, K)
  });
}

export function evalSums(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1];
    const w = tf.reshape(weights, [-1]);
    const per = crossEntropyPerTarget(logits, targets);
    const hit = tf.cast(tf.equal(tf.argMax(tf.reshape(logits, [-1, k]), -1), tf.reshape(targets, [-1])), 'float32');
    return tf.stack([tf.sum(tf.mul(per, w)), tf.sum(tf.mul(hit, w)), tf.sum(w)]) as tf.Tensor1D;
  });
}
