import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { GRU_SEQUENCE_GRAD_KERNEL, GRU_SEQUENCE_KERNEL } from '../../../core/kernels/gru-sequence';
import { RNN_SEQUENCE_GRAD_KERNEL, RNN_SEQUENCE_KERNEL } from '../../../core/kernels/rnn-sequence';
import { GATES, recurrence } from '../../../core/layers/recurrence';
import { relativeError, seededValues, useBackend } from '../kernels/helpers';

const random = (shape: number[], seed: number, scale = 1): tf.Tensor =>
  tf.tidy(() => tf.mul(tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed), shape), scale));

const SEQUENCE_KERNELS = {
  gru: [GRU_SEQUENCE_KERNEL, GRU_SEQUENCE_GRAD_KERNEL],
  rnn: [RNN_SEQUENCE_KERNEL, RNN_SEQUENCE_GRAD_KERNEL],
} as const;

/**
 * The fused GRU and simple RNN (each one op, backpropagation through time written out) against the step-by-step
 * ops under autodiff: the sequence and the last state, and the gradients w.r.t. x, kernel, recurrent kernel and bias under a random
 * upstream gradient on both outputs. Padding (keep 0) at the end of one row and in the middle of another.
 */
for (const [cell, backend] of [
  ['gru', 'cpu'],
  ['gru', 'wasm'],
  ['rnn', 'cpu'],
  ['rnn', 'wasm'],
] as const) {
  describe(`fused ${cell} on ${backend}: values and gradients equal the step-by-step reference`, () => {
    it.each([
      // On wasm the whole sequence is one kernel each way (gru-sequence.ts, rnn-sequence.ts); H 12: edge panels
      { backwards: false, scale: 1, H: 4 },
      { backwards: true, scale: 1, H: 12 },
      { backwards: false, scale: 3, H: 8 }, // saturated gates
      // Without the sequence kernels (as on cpu, webgl and webgpu), the steps are tf.js ops.
      { backwards: true, scale: 1, H: 12, sequence: false },
      { backwards: false, scale: 3, H: 6, sequence: false }, // H not a multiple of 4: never the wasm kernels
    ])(
      'backwards $backwards, scale $scale, H $H, sequence $sequence, and fewer kernel calls',
      async ({ backwards, scale, H, sequence = true }) => {
        await useBackend(backend);
        registerWordloomKernels(backend);
        const drop = sequence ? [] : SEQUENCE_KERNELS[cell];
        const g = GATES[cell];
        drop.filter((k) => tf.getKernel(k, backend)).forEach((k) => tf.unregisterKernel(k, backend));
        const before = tf.memory().numTensors;
        const [B, T, D] = [3, 6, 5];
        const keepRows = [
          [1, 1, 1, 1, 1, 1],
          [1, 1, 1, 1, 0, 0], // trailing padding
          [1, 0, 1, 1, 0, 1], // padding in the middle
        ];
        const keep = tf.tensor2d(keepRows, [B, T]);
        const x = random([B, T, D], 31, scale);
        const kernel = random([D, g * H], 32, 0.5 * scale);
        const recurrentKernel = random([H, g * H], 33, 0.5 * scale);
        const bias = random([g * H], 34, 0.3);
        const dSeq = random([B, T, H], 35);
        const dLast = random([B, H], 36);
        const run = (fused: boolean, xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) =>
          recurrence(cell, xs, keep, { kernel: k, recurrentKernel: u, bias: b }, H, backwards, fused);
        const loss = (fused: boolean) => (xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) => {
          const r = run(fused, xs, k, u, b);
          return tf.add(tf.sum(tf.mul(r.sequence, dSeq)), tf.sum(tf.mul(r.last, dLast)));
        };
        const values = (fused: boolean) =>
          tf.tidy(() => {
            const r = run(fused, x, kernel, recurrentKernel, bias);
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
        // Per step (GRU, RNN): ~50, ~12 kernels under autodiff; ~25, ~8 composed (forward and closed-form
        // backward), or none per step: then what is left is the ~60 kernels around the recurrence.
        const whole = backend === 'wasm' && sequence && H % 4 === 0;
        expect(fusedCalls.length).toBeLessThan(referenceCalls.length / (whole ? (cell === 'gru' ? 8 : 4) : 1.5));
        // the route taken: the sequence kernels where they run (wasm, H a multiple of 4), else not
        expect(fusedCalls.includes(SEQUENCE_KERNELS[cell][1])).toBe(whole);
        registerWordloomKernels(backend);
        tf.dispose([keep, ...inputs, dSeq, dLast]);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  });
}
