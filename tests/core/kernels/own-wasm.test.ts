import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-JS build script, untyped
import { assembleOwnKernels, generatedSource, OUT } from '../../../build/build-wasm-kernels.mjs';
import { enableRelaxedSimd } from '../../../core/host-node/backend';
import {
  OWN_KERNELS_PLAIN,
  OWN_KERNELS_PLAIN_SIMD,
  OWN_KERNELS_SHARED,
  OWN_KERNELS_SHARED_SIMD,
} from '../../../core/kernels/wasm/own-kernels.generated';
import { normalCdfPdf } from '../../../core/kernels/gelu';
import { seededValues } from './helpers';

const bytes = (b64: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(b64, 'base64'));

/** Instantiates one committed binary on a fresh memory holding `values` at byte 0. */
function onMemory(b64: string, shared: boolean, values: Float32Array) {
  const memory = shared
    ? new WebAssembly.Memory({ initial: 4, maximum: 64, shared: true })
    : new WebAssembly.Memory({ initial: 4 });
  new Float32Array(memory.buffer).set(values);
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes(b64)), { env: { memory } });
  return { exports: exports as Record<string, (...args: number[]) => number>, memory };
}

const BUILDS = [
  { build: 'relaxed SIMD, plain memory', b64: OWN_KERNELS_PLAIN, shared: false },
  { build: 'relaxed SIMD, shared memory', b64: OWN_KERNELS_SHARED, shared: true },
  { build: 'SIMD128, plain memory', b64: OWN_KERNELS_PLAIN_SIMD, shared: false },
  { build: 'SIMD128, shared memory', b64: OWN_KERNELS_SHARED_SIMD, shared: true },
];

beforeAll(() => {
  expect(enableRelaxedSimd()).toBe(true);
});

describe('own wasm kernels (core/kernels/wasm/own-kernels.wat)', () => {
  it('the SIMD128 builds validate without relaxed SIMD; the relaxed ones use it', async () => {
    const { default: initWabt } = await import('wabt');
    const wabt = await initWabt();
    const uses = (b64: string) => {
      const module = wabt.readWasm(bytes(b64), { readDebugNames: false, simd: true, threads: true, relaxed_simd: true });
      const text: string = module.toText({});
      module.destroy();
      return /relaxed_madd/.test(text);
    };
    expect(uses(OWN_KERNELS_PLAIN)).toBe(true);
    expect(uses(OWN_KERNELS_SHARED)).toBe(true);
    expect(uses(OWN_KERNELS_PLAIN_SIMD)).toBe(false);
    expect(uses(OWN_KERNELS_SHARED_SIMD)).toBe(false);
  });

  it.each(BUILDS)('gemm4x8 with packed operands equals a float64 product, edges and bias ($build)', (build) => {
    // a (m, k) stored transposed, b (k, n) row-major; m and n not multiples of 4 and 8: every edge path runs
    const [m, k, n] = [7, 5, 11];
    const a = seededValues(m * k, 31); // stored (k, m): a[i, kk] at kk·m + i
    const b = seededValues(k * n, 32);
    const bias = seededValues(n, 33);
    const F = { a: 0, b: 64, bias: 128, ap: 192, bp: 256, bpBias: 448, out: 512, tile: 640 }; // float offsets
    const all = new Float32Array(1024).fill(7); // 7: anything not written stays 7
    all.set(a, F.a);
    all.set(b, F.b);
    all.set(bias, F.bias);
    const { exports, memory } = onMemory(build.b64, build.shared, all);
    exports.pack_a4(4 * F.a, 4 * F.ap, m, k, 1, m);
    exports.pack_b8(4 * F.b, 4 * F.bp, k, n, n, 1);
    exports.pack_b8(4 * F.bias, 4 * F.bpBias, 1, n, 0, 1);
    exports.gemm4x8(4 * F.ap, 4 * F.bp, 4 * F.bpBias, 4 * F.out, m, k, n, 4 * F.tile);
    const out = new Float32Array(memory.buffer);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let want = bias[j];
        for (let kk = 0; kk < k; kk++) want += a[kk * m + i] * b[kk * n + j];
        expect(Math.abs(out[F.out + i * n + j] - want)).toBeLessThan(1e-6);
      }
    expect(out[F.out + m * n]).toBe(7); // nothing written past the product
    exports.gemm4x8(4 * F.ap, 4 * F.bp, 0, 4 * F.out, m, k, n, 4 * F.tile); // no bias
    let first = 0;
    for (let kk = 0; kk < k; kk++) first += a[kk * m] * b[kk * n];
    expect(Math.abs(out[F.out] - first)).toBeLessThan(1e-6);
  });

  it('the committed binaries are what build/build-wasm-kernels.mjs assembles from the .wat', async () => {
    const built = await assembleOwnKernels();
    expect(readFileSync(OUT, 'utf8')).toBe(generatedSource(built)); // else: run the script and commit its output
  });

  it.each(BUILDS)('sumsq equals a float64 sum over lengths with and without a tail ($build)', ({ b64, shared }) => {
    const values = seededValues(1003, 5);
    const { exports } = onMemory(b64, shared, values);
    for (const n of [0, 1, 3, 4, 7, 1000, 1003]) {
      let want = 0;
      for (let i = 0; i < n; i++) want += values[i] * values[i];
      expect(Math.abs(exports.sumsq(0, n) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
    }
  });

  it('adamw matches the formula in float32 at every position, tails included', () => {
    const n = 11;
    const [p, g, m, v] = [1, 2, 3, 4].map((s) => seededValues(n, s));
    v.forEach((x, i) => (v[i] = Math.abs(x)));
    const all = new Float32Array(7 * 16);
    [p, g, m, v].forEach((a, i) => all.set(a, i * 16));
    const { exports, memory } = onMemory(OWN_KERNELS_PLAIN, false, all);
    const k = { b1: 0.9, b2: 0.99, c1: 0.05, c2: 0.004, step: 0.01, ib: 1.5, eps: 1e-8, keep: 0.999 };
    const at = (slot: number) => slot * 64; // 16 floats per array
    exports.adamw(at(0), at(1), at(2), at(3), at(4), at(5), at(6), n, k.b1, k.b2, k.c1, k.c2, k.step, k.ib, k.eps, k.keep);
    const out = new Float32Array(memory.buffer);
    for (let j = 0; j < n; j++) {
      const mj = k.b1 * m[j] + k.c1 * g[j];
      const vj = k.b2 * v[j] + k.c2 * g[j] * g[j];
      const pj = p[j] * k.keep - (k.step * mj) / (Math.sqrt(vj * k.ib) + k.eps);
      expect(out[5 * 16 + j]).toBeCloseTo(mj, 6);
      expect(out[6 * 16 + j]).toBeCloseTo(vj, 6);
      expect(Math.abs(out[4 * 16 + j] - pj)).toBeLessThan(1e-6);
    }
    expect(out[4 * 16 + n]).toBe(0); // nothing written past n
  });

  it('gelu4 and gelu_grad4 match the JS formulas from -12 to 12, at ±0, tiny and huge values', () => {
    const n = 4096;
    const x = seededValues(n, 9).map((v) => v * 12);
    x.set([0, -0, 1e-30, -1e-30, 40, -40, 5.5, -5.5]);
    const dy = seededValues(n, 10);
    const all = new Float32Array(4 * n);
    all.set(x, 0);
    all.set(dy, n);
    const { exports, memory } = onMemory(OWN_KERNELS_PLAIN, false, all);
    exports.gelu4(0, 2 * n * 4, n);
    exports.gelu_grad4(n * 4, 0, 3 * n * 4, n);
    const out = new Float32Array(memory.buffer);
    for (let j = 0; j < n; j++) {
      const [cdf, pdf] = normalCdfPdf(x[j]);
      // Same A&S 7.1.26 form as the JS (and as tf.js's Erf); only float32 rounding and the polynomial e^x differ.
      expect(Math.abs(out[2 * n + j] - x[j] * cdf)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(x[j])));
      expect(Math.abs(out[3 * n + j] - dy[j] * (cdf + x[j] * pdf))).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(x[j])));
    }
    expect(out[2 * n + 4]).toBe(40); // GELU(40) = 40: Φ rounds to 1
    expect(Math.abs(out[2 * n + 5])).toBeLessThan(1e-30); // GELU(−40) = −40·Φ(−40) ≈ −1e-349: e^x stops at e^−87
  });
});
