import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { relativeError, seededInts, seededValues, take, useBackend } from './helpers';

const [B, T, V, D] = [4, 6, 40, 8];
const tokens = seededInts(B * T, 0, V, 1);
const targets = seededInts(B, 0, V, 2);

/** Embedding → flatten → dense softmax, the smallest language model an Embedding node compiles to. */
function tinyModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({
      inputDim: V,
      outputDim: D,
      inputLength: T,
      embeddingsInitializer: tf.initializers.randomUniform({ seed: 3 }),
    }),
  );
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({ units: V, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
  );
  return model;
}

/**
 * Gradients of one attention head over an embedding: gather, batched Q·Kᵀ (transposeB), softmax, P·V.
 * Its backward pass runs UnsortedSegmentSum and batched matMuls with every flag combination.
 */
function attentionGradients(): number[][] {
  return tf.tidy(() => {
    const table = tf.tensor2d(seededValues(V * D, 5), [V, D]);
    const wq = tf.tensor2d(seededValues(D * D, 6), [D, D]);
    const wk = tf.tensor2d(seededValues(D * D, 7), [D, D]);
    const lookup = tf.tensor2d(tokens, [B, T], 'int32');
    const loss = (emb: tf.Tensor, q: tf.Tensor, k: tf.Tensor): tf.Scalar => {
      const x = tf.gather(emb, lookup); // (B, T, D)
      const flat = x.reshape([B * T, D]); // (B, T, D) -> (B·T, D)
      const queries = tf.matMul(flat, q).reshape([B, T, D]);
      const keys = tf.matMul(flat, k).reshape([B, T, D]);
      const scores = tf.softmax(tf.matMul(queries, keys, false, true).div(Math.sqrt(D))); // (B, T, T)
      return tf.matMul(scores, x).square().mean(); // (B, T, T)·(B, T, D) -> (B, T, D)
    };
    const grads = tf.grads((emb: tf.Tensor, q: tf.Tensor, k: tf.Tensor) => loss(emb, q, k))([table, wq, wk]);
    return grads.map((g) => Array.from(g.dataSync()));
  });
}

let cpuGradients: number[][] = [];

beforeAll(async () => {
  await useBackend('cpu');
  cpuGradients = attentionGradients(); // stock cpu kernels: the reference
  await useBackend('wasm');
  registerWordloomKernels('wasm');
});

describe('training on wasm with Wordloom kernels', () => {
  it('trains an Embedding model: loss is finite and falls, and steps leak no tensors', () => {
    const model = tinyModel();
    const optimizer = tf.train.adam(0.05);
    const x = tf.tensor2d(tokens, [B, T], 'int32');
    const y = tf.oneHot(tf.tensor1d(targets, 'int32'), V);
    const predict = (): tf.Tensor => {
      const out = model.apply(x);
      if (!(out instanceof tf.Tensor)) throw new Error('The model gave more than one output.');
      return out;
    };
    const step = (): number => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, predict()), true);
      if (loss === null) throw new Error('minimize returned no loss.');
      return take(loss)[0];
    };
    const first = step(); // creates the optimizer's slots
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });

  it('gives the same attention-block gradients as the stock cpu kernels', () => {
    const wasmGradients = attentionGradients();
    expect(wasmGradients).toHaveLength(3);
    wasmGradients.forEach((g, i) => expect(relativeError(g, cpuGradients[i] ?? [])).toBeLessThan(1e-5));
  });
});
