import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { LSTM_CELL_GRAD_KERNEL, LSTM_CELL_KERNEL } from '../../../core/kernels/lstm-cell';
import { LSTM_SEQUENCE_GRAD_KERNEL, LSTM_SEQUENCE_KERNEL } from '../../../core/kernels/lstm-sequence';
import { recurrence } from '../../../core/layers/recurrence';
import { relativeError, seededValues, useBackend } from '../kernels/helpers';

const random = (shape: number[], seed: number, scale = 1): tf.Tensor =>
  tf.tidy(() => tf.mul(tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed), shape), scale));

/**
 * The fused LSTM (one op, backpropagation through time written out) against the step-by-step ops under autodiff:
 * the sequence and the last state, and the gradients w.r.t. x, kernel, recurrent kernel and bias under a random
 * upstream gradient on both outputs. Padding (keep 0) at the end of one row and in the middle of another.
 */
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused LSTM on ${backend}: values and gradients equal the step-by-step reference`, () => {
    it.each([
      // On wasm the whole sequence is one kernel each way (lstm-sequence.ts); H 12: products with edge panels
      { backwards: false, scale: 1, cellKernels: true, H: 4 },
      { backwards: true, scale: 1, cellKernels: true, H: 12 },
      { backwards: false, scale: 3, cellKernels: true, H: 4 }, // saturated gates
      // Then step by step with the cell kernels (the sequence kernels unregistered; cpu has none).
      { backwards: true, scale: 1, cellKernels: true, H: 12, sequence: false },
      // Without the cell kernels (as on webgl and webgpu), the gate math is composed from tf.js ops.
      { backwards: false, scale: 1, cellKernels: false, H: 4, sequence: false },
      { backwards: true, scale: 3, cellKernels: false, H: 4, sequence: false },
    ])(
      'backwards $backwards, scale $scale, cell kernels $cellKernels, H $H, sequence $sequence, and fewer kernel calls',
      async ({ backwards, scale, cellKernels, H, sequence = true }) => {
        await useBackend(backend);
        registerWordloomKernels(backend);
        const drop = [
          ...(cellKernels ? [] : [LSTM_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL]),
          ...(sequence ? [] : [LSTM_SEQUENCE_KERNEL, LSTM_SEQUENCE_GRAD_KERNEL]),
        ];
        drop.filter((k) => tf.getKernel(k, backend)).forEach((k) => tf.unregisterKernel(k, backend));
        const before = tf.memory().numTensors;
        const [B, T, D] = [3, 6, 5];
        const keepRows = [
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 0, 0], // trailing padding
          [1, 0, 1, 1, 0, 1], // padding in the middle
        ];
        const keep = tf.tensor2d(keepRows, [B, T]);
        const x = random([B, T, D], 21, scale);
        const kernel = random([D, 4 * H], 22, 0.5 * scale);
        const recurrentKernel = random([H, 4 * H], 23, 0.5 * scale);
        const bias = random([4 * H], 24, 0.3);
        const dSeq = random([B, T, H], 25);
        const dLast = random([B, H], 26);
        const loss = (fused: boolean) => (xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) => {
          const r = recurrence('lstm', xs, keep, { kernel: k, recurrentKernel: u, bias: b }, H, backwards, fused);
          return tf.add(tf.sum(tf.mul(r.sequence, dSeq)), tf.sum(tf.mul(r.last, dLast)));
        };
        const values = (fused: boolean) =>
          tf.tidy(() => {
            const r = recurrence('lstm', x, keep, { kernel, recurrentKernel, bias }, H, backwards, fused);
            return [Array.from(r.sequence.dataSync()), Array.from(r.last.dataSync())];
          });
        const [seqF, lastF] = values(true);
        const [seqR, lastR] = values(false);
        expect(relativeError(seqF, seqR)).toBeLessThan(1e-5);
        expect(relativeError(lastF, lastR)).toBeLessThan(1e-5);
        const inputs = [x, kernel, recurrentKernel, bias];
        const gradsOf = (fused: boolean) =>
          tf.tidy(() =>
            tf
              .grads(loss(fused))(inputs)
              .map((g) => Array.from(g.dataSync())),
          );
        const got = gradsOf(true);
        const want = gradsOf(false);
        got.forEach((g, i) => expect(relativeError(g, want[i])).toBeLessThan(1e-5));
        const kernels = async (fused: boolean) =>
          (await tf.profile(() => tf.dispose(tf.grads(loss(fused))(inputs)))).kernels.map((k) => k.name);
        const [fusedCalls, referenceCalls] = [await kernels(true), await kernels(false)];
        // Per step: about 20 kernels of gate math each way, or one cell kernel and one matmul.
        expect(fusedCalls.length).toBeLessThan(cellKernels ? referenceCalls.length / 4 : referenceCalls.length);
        // the route taken: the sequence kernels where they run (wasm), else not
        expect(fusedCalls.includes(LSTM_SEQUENCE_GRAD_KERNEL)).toBe(backend === 'wasm' && sequence);
        registerWordloomKernels(backend);
        tf.dispose([keep, ...inputs, dSeq, dLast]);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  });
}
