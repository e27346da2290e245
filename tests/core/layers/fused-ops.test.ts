import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { allowedPairs, selfAttention } from '../../../core/layers/attention';
import { dense, denseReference } from '../../../core/layers/ops';
import {
  attentionCoreReference,
  causalLower,
  fusedAttentionCore,
  fusedSelfAttention,
  mergeHeads,
  splitQkvHeads,
} from '../../../core/layers/fused-attention';
import { attentionOp, canFuseAttention } from '../../../core/kernels/attention';
import { keepMask } from '../../../core/layers/ops';
import { GELU_KERNELS } from '../../../core/kernels/gelu';
import { setOwnWasmEnabled } from '../../../core/kernels/own-wasm';
import { fusedGelu, fusedLayerNorm, geluReference, layerNormReference } from '../../../core/layers/fused-norm';
import { NORM_KERNELS } from '../../../core/kernels/layer-norm';
import { relativeError, seededValues, useBackend } from '../kernels/helpers';

const random = (shape: number[], seed: number, scale = 1): tf.Tensor =>
  tf.tidy(() => tf.mul(tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed), shape), scale));

/** Unregisters the LayerNorm kernels, so fused-norm.ts composes tf.js ops (registerWordloomKernels restores). */
const dropNormKernels = (backend: string): void => NORM_KERNELS.forEach(([name]) => tf.unregisterKernel(name, backend));

/** Values and gradients (w.r.t. every input, under a random upstream gradient) of f and of its reference. */
function compare(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  ref: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  seed: number,
): { value: number; grads: number[] } {
  return tf.tidy(() => {
    const out = ref(...inputs);
    const dy = random(out.shape, seed);
    const loss =
      (g: typeof f) =>
      (...xs: tf.Tensor[]) =>
        tf.sum(tf.mul(g(...xs), dy));
    const got = tf.grads(loss(f))(inputs);
    const want = tf.grads(loss(ref))(inputs);
    return {
      value: relativeError(f(...inputs).dataSync(), out.dataSync()),
      grads: got.map((g, i) => relativeError(g.dataSync(), want[i].dataSync())),
    };
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused ops on ${backend}: values and gradients equal the unfused reference`, () => {
    it.each([
      { shape: [3, 5, 16], scale: 1, shift: 0, kernels: true, tolerance: 1e-5 },
      { shape: [2, 7, 8], scale: 30, shift: 5, kernels: true, tolerance: 1e-5 }, // large, offset activations
      // Rank 2, nearly constant rows: here the float32 reference is the less exact one (dx against a float64
      // computation, measured on wasm: the kernel 7.4e-8, the op-by-op reference 2.8e-6), so 3e-5.
      { shape: [4, 32], scale: 0.01, shift: -1, kernels: true, tolerance: 3e-5 },
      // D = 7: a tail of 3 after the SIMD part on wasm; then the wasm kernels' JS loops (SIMD module off).
      { shape: [3, 5, 7], scale: 2, shift: 1, kernels: true, tolerance: 1e-5 },
      { shape: [3, 5, 7], scale: 2, shift: 1, kernels: true, tolerance: 1e-5, own: false },
      // Without Wordloom's kernels (as on webgl and webgpu): the closed form composed from tf.js ops.
      { shape: [3, 5, 16], scale: 1, shift: 0, kernels: false, tolerance: 1e-5 },
      { shape: [2, 7, 8], scale: 30, shift: 5, kernels: false, tolerance: 1e-5 },
    ])('LayerNorm on $shape (scale $scale, shift $shift, kernels $kernels, SIMD $own)', async (c) => {
      const { shape, scale, shift, kernels, tolerance } = c;
      await useBackend(backend);
      registerWordloomKernels(backend);
      setOwnWasmEnabled(c.own ?? true);
      if (!kernels) dropNormKernels(backend);
      const before = tf.memory().numTensors;
      const d = shape[shape.length - 1];
      const x = tf.tidy(() => tf.add(random(shape, 1, scale), shift));
      const gamma = tf.tidy(() => tf.add(random([d], 2, 0.5), 1));
      const beta = random([d], 3, 0.1);
      const r = compare(
        (a, g, b) => fusedLayerNorm(a, g, b, 1e-5),
        (a, g, b) => layerNormReference(a, g, b, 1e-5),
        [x, gamma, beta],
        4,
      );
      expect(r.value).toBeLessThan(tolerance);
      r.grads.forEach((e) => expect(e).toBeLessThan(tolerance));
      const calls = async (f: typeof fusedLayerNorm) =>
        (await tf.profile(() => tf.dispose(tf.grads((a: tf.Tensor) => tf.sum(f(a, gamma, beta, 1e-5)))([x])))).kernels
          .length;
      // One kernel each way (plus the saved copies and the loss's own calls) against ~20 for the ops.
      const reference = await calls(layerNormReference);
      expect(await calls(fusedLayerNorm)).toBeLessThan(kernels ? reference / 2 : reference);
      tf.dispose([x, gamma, beta]);
      setOwnWasmEnabled(true);
      registerWordloomKernels(backend);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('LayerNorm keeps padding rows (all zeros) finite, as the reference does', async () => {
      await useBackend(backend);
      const x = tf.tidy(() => tf.concat([random([2, 3, 8], 5), tf.zeros([2, 2, 8])], 1)); // the last 2 positions padded
      const gamma = tf.ones([8]);
      const beta = tf.zeros([8]);
      const r = compare(
        (a, g, b) => fusedLayerNorm(a, g, b, 1e-5),
        (a, g, b) => layerNormReference(a, g, b, 1e-5),
        [x, gamma, beta],
        6,
      );
      expect(r.value).toBeLessThan(1e-5);
      r.grads.forEach((e) => expect(e).toBeLessThan(1e-5));
      tf.dispose([x, gamma, beta]);
    });

    it.each([
      { scale: 1, shape: [6, 5, 12], own: true, kernels: true },
      { scale: 4, shape: [6, 5, 12], own: true, kernels: true },
      { scale: 6, shape: [3, 7, 5], own: true, kernels: true }, // 105 values: a tail of 1 after the SIMD part
      { scale: 4, shape: [3, 7, 5], own: false, kernels: true }, // wasm kernel without its SIMD module: all in JS
      { scale: 4, shape: [3, 7, 5], own: true, kernels: false }, // no Wordloom kernels: composed from tf.js ops
    ])('GELU at scale $scale on $shape (SIMD $own, kernels $kernels), fewer kernel calls than autodiff', async (c) => {
      await useBackend(backend);
      registerWordloomKernels(backend);
      if (!c.kernels)
        for (const [name] of GELU_KERNELS) if (tf.getKernel(name, backend)) tf.unregisterKernel(name, backend);
      setOwnWasmEnabled(c.own);
      const before = tf.memory().numTensors;
      const { scale } = c;
      const x = random(c.shape, 7, scale);
      const r = compare(fusedGelu, geluReference, [x], 8);
      expect(r.value).toBeLessThan(1e-5);
      expect(r.grads[0]).toBeLessThan(1e-5);
      const calls = async (f: (t: tf.Tensor) => tf.Tensor) =>
        (
          await tf.profile(() =>
            tf
              .grad((t: tf.Tensor) => tf.sum(f(t)))(x)
              .dispose(),
          )
        ).kernels.length;
      expect(await calls(fusedGelu)).toBeLessThan(await calls(geluReference));
      x.dispose();
      setOwnWasmEnabled(true);
      registerWordloomKernels(backend);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('the causal mask is bandPart of ones', async () => {
      await useBackend(backend);
      for (const T of [1, 2, 7]) {
        const got = causalLower(T);
        const want = tf.tidy(() => tf.linalg.bandPart(tf.ones([T, T]), -1, 0));
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([got, want]);
      }
    });

    it('the head split and merge are the rank-5 transpose they replace, values and gradients', async () => {
      await useBackend(backend);
      const [B, T, H, d] = [2, 5, 3, 4];
      const qkv = random([B, T, 3 * H * d], 9);
      const viaSplit = (t: tf.Tensor) => {
        const [q, k, v] = splitQkvHeads(t, H);
        return mergeHeads(tf.add(tf.mul(q, k), tf.mul(v, 3))); // something that tells q, k and v apart
      };
      const viaRank5 = (t: tf.Tensor) => {
        const heads = tf.transpose(tf.reshape(t, [B, T, 3, H, d]), [2, 0, 3, 1, 4]);
        const [q, k, v] = tf.unstack(heads);
        const c = tf.add(tf.mul(q, k), tf.mul(v, 3));
        return tf.reshape(tf.transpose(c, [0, 2, 1, 3]), [B, T, H * d]);
      };
      const r = compare(viaSplit, viaRank5, [qkv], 10);
      expect(r.value).toBe(0);
      expect(r.grads[0]).toBe(0);
      qkv.dispose();
    });

    it.each([
      [2, 5, 6],
      [4, 6],
      [1, 1, 3],
    ])('dense on %j: values and x, W, b gradients, fewer calls', async (...shape) => {
      await useBackend(backend);
      registerWordloomKernels(backend);
      const before = tf.memory().numTensors;
      const x = random(shape, 15);
      const w = random([shape[shape.length - 1], 7], 16);
      const b = random([7], 17);
      const r = compare(dense, denseReference, [x, w, b], 18);
      expect(r.value).toBeLessThan(1e-5);
      r.grads.forEach((e) => expect(e).toBeLessThan(1e-5));
      const calls = async (f: typeof dense) =>
        (
          await tf.profile(() =>
            tf.dispose(tf.grads((p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) => tf.sum(f(p, q, c)))([x, w, b])),
          )
        ).kernels.length;
      expect(await calls(dense)).toBeLessThan(await calls(denseReference));
      tf.dispose([x, w, b]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it.each([
      { causal: true, padded: [0, 3], scale: 1 },
      { causal: false, padded: [2, 0], scale: 1 },
      { causal: true, padded: [0, 0], scale: 4 }, // peaked softmax rows
      { causal: false, padded: [7, 0], scale: 1 }, // a row that is padding only: every key masked
    ])(
      'attention core (causal $causal, padding $padded, scale $scale): values and q, k, v gradients, fewer calls',
      async ({ causal, padded, scale }) => {
        await useBackend(backend);
        registerWordloomKernels(backend);
        const before = tf.memory().numTensors;
        const [B, H, T, d] = [2, 3, 7, 8];
        // Token ids with `padded[b]` trailing zeros in row b: the keys (and queries) there are padding.
        const ids = Int32Array.from({ length: B * T }, (_, i) =>
          i % T < T - padded[Math.floor(i / T)] ? 1 + (i % 5) : 0,
        );
        const tokens = tf.tensor2d(ids, [B, T], 'int32');
        const allowed = tf.tidy(() => allowedPairs(tokens, T, causal)); // (B, 1, T, T)
        const [q, k, v] = [11, 12, 13].map((seed) => random([B, H, T, d], seed, scale));
        const r = compare(
          (a, b, c) => fusedAttentionCore(a, b, c, allowed),
          (a, b, c) => attentionCoreReference(a, b, c, allowed).context,
          [q, k, v],
          14,
        );
        expect(r.value).toBeLessThan(1e-5);
        r.grads.forEach((e) => expect(e).toBeLessThan(1e-5));
        const calls = async (f: (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor) =>
          (
            await tf.profile(() =>
              tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(f(a, b, c)))([q, k, v])),
            )
          ).kernels.length;
        const fused = await calls((a, b, c) => fusedAttentionCore(a, b, c, allowed));
        const plain = await calls((a, b, c) => attentionCoreReference(a, b, c, allowed).context);
        expect(fused).toBeLessThan(plain);
        tf.dispose([tokens, allowed, q, k, v]);
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  });
}

describe('attention straight from qkv on wasm (WordloomAttention): values and gradients equal the composed ops', () => {
  /** Token ids (B, T) with `padded[b]` trailing zeros in row b. */
  const tokensFor = (B: number, T: number, padded: number[]) =>
    tf.tensor2d(
      Int32Array.from({ length: B * T }, (_, i) => (i % T < T - padded[Math.floor(i / T)] ? 1 + (i % 5) : 0)),
      [B, T],
      'int32',
    );
  /** The composed path: split into heads, the reference core, merge. */
  const composed = (qkv: tf.Tensor, allowed: tf.Tensor, H: number) => {
    const [q, k, v] = splitQkvHeads(qkv, H);
    const { context, probs } = attentionCoreReference(q, k, v, allowed);
    return { context: mergeHeads(context), probs };
  };

  it.each([
    // the Mini GPT's entry (T 64, d 32), then sizes with every edge: T not a multiple of 4 or 8, d of 8
    { B: 2, T: 64, H: 2, d: 32, causal: true, padded: [0, 9], scale: 1 },
    { B: 2, T: 13, H: 3, d: 6, causal: true, padded: [0, 4], scale: 1 },
    { B: 2, T: 13, H: 3, d: 6, causal: false, padded: [5, 0], scale: 1 },
    { B: 1, T: 9, H: 2, d: 5, causal: true, padded: [0], scale: 5 }, // peaked rows
    { B: 2, T: 6, H: 1, d: 4, causal: false, padded: [6, 1], scale: 1 }, // a row of padding only
    { B: 3, T: 1, H: 2, d: 3, causal: true, padded: [0, 0, 1], scale: 1 }, // one position
  ])(
    'B $B, T $T, heads $H of $d (causal $causal, padding $padded, scale $scale)',
    async ({ B, T, H, d, causal, padded, scale }) => {
      await useBackend('wasm');
      registerWordloomKernels('wasm');
      expect(canFuseAttention()).toBe(true);
      const before = tf.memory().numTensors;
      const tokens = tokensFor(B, T, padded);
      const keep = tf.tidy(() => keepMask(tokens));
      const allowed = tf.tidy(() => allowedPairs(tokens, T, causal));
      const qkv = random([B, T, 3 * H * d], 21 + T, scale);
      const r = compare(
        (t) => fusedSelfAttention(t, keep, H, causal),
        (t) => composed(t, allowed, H).context,
        [qkv],
        22,
      );
      expect(r.value).toBeLessThan(1e-5);
      expect(r.grads[0]).toBeLessThan(1e-5);
      // the probabilities too (the backward reads them): 0 wherever a key is hidden
      const [context, probs] = attentionOp(qkv, keep, H, causal);
      const want = tf.tidy(() => composed(qkv, allowed, H).probs);
      expect(probs.shape).toEqual([B, H, T, T]);
      expect(relativeError(probs.dataSync(), want.dataSync())).toBeLessThan(1e-6);
      const hidden = tf.tidy(() => tf.sum(tf.mul(probs, tf.sub(1, allowed))));
      expect(hidden.dataSync()[0]).toBe(0);
      tf.dispose([tokens, keep, allowed, qkv, context, probs, want, hidden]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('is what a training step of the attention layers runs on wasm; inference, dropout and other backends keep the composed ops', async () => {
    const [B, T, D, H] = [2, 8, 12, 3];
    const kernelsOf = async (options: { training: boolean; dropout: number }) => {
      const x = random([B, T, D], 31);
      const tokens = tokensFor(B, T, [0, 2]);
      const w = {
        qkvKernel: random([D, 3 * D], 32, 0.3),
        qkvBias: random([3 * D], 33, 0.1),
        outKernel: random([D, D], 34, 0.3),
        outBias: random([D], 35, 0.1),
      };
      const run = () => {
        const { y, probs } = selfAttention(x, tokens, w, { numHeads: H, causal: true, ...options });
        tf.dispose([y, probs]);
      };
      const names = (await tf.profile(run)).kernels.map((k) => k.name);
      tf.dispose([x, tokens, ...Object.values(w)]);
      return names;
    };
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    expect(canFuseAttention()).toBe(true);
    expect(await kernelsOf({ training: true, dropout: 0 })).toContain('WordloomAttention');
    expect(await kernelsOf({ training: false, dropout: 0 })).not.toContain('WordloomAttention');
    expect(await kernelsOf({ training: true, dropout: 0.1 })).not.toContain('WordloomAttention');
    setOwnWasmEnabled(false);
    expect(canFuseAttention()).toBe(false);
    expect(await kernelsOf({ training: true, dropout: 0 })).not.toContain('WordloomAttention');
    setOwnWasmEnabled(true);
    await useBackend('cpu');
    registerWordloomKernels('cpu');
    expect(canFuseAttention()).toBe(false);
    expect(await kernelsOf({ training: true, dropout: 0 })).not.toContain('WordloomAttention');
  });
});
