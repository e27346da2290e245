import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { hasCrossEntropyKernels, XENT_GRAD_KERNEL, XENT_KERNEL } from '../../../core/kernels/cross-entropy';
import { maskedCrossEntropy } from '../../../core/train/loss';
import { relativeError, seededInts, seededValues, useBackend } from '../kernels/helpers';

/**
 * The training loss as our kernels on wasm (cross-entropy.ts) against the same loss composed from tf.js ops: the
 * value and the logits' gradient, over class counts with and without a SIMD tail, big logits (the max shift),
 * weights of 0 (padding) and targets outside [0, K) (unlabelled positions), and (B, T, K) logits.
 */
describe('the fused softmax cross-entropy on wasm', () => {
  it.each([
    { rows: 37, k: 69, scale: 1 },
    { rows: 8, k: 3, scale: 1 }, // no whole vector in a row
    { rows: 20, k: 256, scale: 30 }, // logits in the hundreds: e^x only after the max is taken off
    { rows: 12, k: 5, scale: 1, shape: [3, 4] }, // (B, T, K) logits, (B, T) targets
  ])('rows $rows, K $k, scale $scale: value and gradient as composed', async ({ rows, k, scale, shape }) => {
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    expect(hasCrossEntropyKernels()).toBe(true);
    const before = tf.memory().numTensors;
    const lead = shape ?? [rows];
    const logits = tf.tidy(() => tf.mul(tf.tensor(seededValues(rows * k, 41), [...lead, k]), scale));
    const ids = seededInts(rows, 0, k, 42);
    ids[1] = -1; // an unlabelled position
    ids[2] = k; // out of range too
    const targets = tf.tensor(ids, lead, 'int32');
    const w = Float32Array.from({ length: rows }, (_, i) => (i % 4 === 3 ? 0 : 0.5 + (i % 3))); // some padding
    // From 256 classes the composed loss gathers each target's logit, which reads a neighbour for a target outside
    // [0, K): there such targets weigh 0, as the data pipeline gives them (one-hot, below 256, gives ce 0 as ours)
    if (k >= 256) [w[1], w[2]] = [0, 0];
    const weights = tf.tensor(w, lead, 'float32');
    const run = (fused: boolean) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => maskedCrossEntropy(v, targets, weights, fused), [v]);
        return [Array.from(value.dataSync()), Array.from(grads[v.name].dataSync())];
      });
    const v = tf.variable(logits);
    const [[lossF], gradF] = run(true);
    const [[lossR], gradR] = run(false);
    expect(Number.isFinite(lossF)).toBe(true);
    expect(relativeError([lossF], [lossR])).toBeLessThan(1e-5);
    expect(relativeError(gradF, gradR)).toBeLessThan(1e-5);
    // rows that weigh 0 or have no target get no gradient
    for (const i of [1, 2, 3]) expect(gradF.slice(i * k, (i + 1) * k).every((g) => g === 0)).toBe(true);
    // one kernel each way where the composed loss runs a dozen or more
    const names = async (fused: boolean) =>
      (
        await tf.profile(() => tf.dispose(tf.variableGrads(() => maskedCrossEntropy(v, targets, weights, fused), [v])))
      ).kernels.map((kk) => kk.name);
    const [fusedNames, composed] = [await names(true), await names(false)];
    expect(fusedNames).toContain(XENT_KERNEL);
    expect(fusedNames).toContain(XENT_GRAD_KERNEL);
    expect(fusedNames.length).toBeLessThan(composed.length / 2);
    tf.dispose([logits, targets, weights, v]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is not used where our kernels do not run (cpu): the composed loss is', async () => {
    await useBackend('cpu');
    registerWordloomKernels('cpu');
    expect(hasCrossEntropyKernels()).toBe(false);
    const loss = maskedCrossEntropy(tf.tensor2d([[0, 1]]), tf.tensor1d([1], 'int32'), tf.tensor1d([1]));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(1 + Math.E) - 1, 5);
  });
});
