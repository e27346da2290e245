import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels, unregisterWordloomKernels } from '../../../core/kernels';
import { hasFusedAdamW } from '../../../core/kernels/adamw';
import { isWasmBackend } from '../../../core/kernels/backend-access';
import { ownWasmKernels, setOwnWasmEnabled } from '../../../core/kernels/own-wasm';
import { AdamW, type AdamWOptions } from '../../../core/train/optimizer';
import { relativeError, seededValues, useBackend } from '../kernels/helpers';

const SHAPES = [[7, 5], [5], [3, 4, 2], [1], [6, 6]];
const STEPS = 4;

/** Runs STEPS AdamW updates from fixed values and gradients; returns the parameters and norms after each step. */
function run(opts: AdamWOptions, tag: string): { params: Float32Array[]; norms: number[] } {
  const vars = SHAPES.map((s, i) =>
    tf.tidy(() => tf.variable(tf.tensor(seededValues(tf.util.sizeFromShape(s), 11 * i + 1), s), true, `${tag}_${i}`)),
  );
  const opt = new AdamW(opts);
  const norms: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, i) => {
      // The third variable gets no gradient on odd steps (a frozen or unused weight): it must stay untouched then.
      if (i === 2 && step % 2 === 1) return;
      grads[v.name] = tf.tidy(() => tf.mul(tf.tensor(seededValues(v.size, 100 * step + i + 3), v.shape), 3));
    });
    const norm = opt.apply(vars, grads, 0.05 / (step + 1));
    norms.push(norm.dataSync()[0]);
    tf.dispose([norm, ...Object.values(grads)]);
  }
  const params = vars.map((v) => v.dataSync().slice() as Float32Array);
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { params, norms };
}

const VARIANTS = [
  { backend: 'cpu', own: false, name: 'cpu' },
  { backend: 'wasm', own: true, name: 'wasm (own SIMD kernel)' },
  { backend: 'wasm', own: false, name: 'wasm (JS loop, where the SIMD kernel cannot start)' },
] as const;

for (const { backend, own, name } of VARIANTS) {
  describe(`fused AdamW on ${name}`, () => {
    it.each([
      { gradClip: 1, weightDecay: 0.1 }, // clipping active (gradient norms are ~10)
      { gradClip: 0, weightDecay: 0 },
      { gradClip: 1000, weightDecay: 0.5 }, // clip inactive
    ])(
      'one kernel call equals the op-by-op update (clip $gradClip, decay $weightDecay)',
      async ({ gradClip, weightDecay }) => {
        await useBackend(backend);
        const opts = { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay, gradClip };
        unregisterWordloomKernels(backend);
        expect(hasFusedAdamW()).toBe(false);
        const reference = run(opts, `ref_${backend}_${gradClip}`);
        registerWordloomKernels(backend);
        expect(hasFusedAdamW()).toBe(true);
        setOwnWasmEnabled(own);
        const engineBackend = tf.engine().backend;
        if (backend === 'wasm' && isWasmBackend(engineBackend))
          expect(ownWasmKernels(engineBackend) !== undefined).toBe(own);
        const before = tf.memory().numTensors;
        const profile = await tf.profile(() => {
          const r = run(opts, `fused_${name}_${gradClip}`);
          reference.params.forEach((want, i) => expect(relativeError(r.params[i], want)).toBeLessThan(1e-5));
          r.norms.forEach((n, i) => expect(Math.abs(n - reference.norms[i]) / reference.norms[i]).toBeLessThan(1e-6));
        });
        setOwnWasmEnabled(true);
        const kernels = profile.kernels.filter((k) => k.name === 'WordloomAdamW').length;
        expect(kernels).toBe(STEPS);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  });
}
