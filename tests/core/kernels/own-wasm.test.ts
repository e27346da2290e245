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
  const pages = Math.max(4, Math.ceil(values.byteLength / 65536) + 1);
  const memory = shared
    ? new WebAssembly.Memory({ initial: pages, maximum: 64, shared: true })
    : new WebAssembly.Memory({ initial: pages });
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
      const module = wabt.readWasm(bytes(b64), {
        readDebugNames: false,
        simd: true,
        threads: true,
        relaxed_simd: true,
      });
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

  it.each(BUILDS)(
    'gemm4x8 in blocks of k and of rows (k > 256, m > 128) equals a float64 product ($build)',
    (build) => {
      // three k blocks (the last partial), two row blocks (the last of 5 rows: an edge), an edge column panel
      const [m, k, n] = [133, 600, 21];
      const n8 = 24;
      const a = seededValues(m * k, 51); // row-major
      const b = seededValues(k * n, 52);
      const bias = seededValues(n, 53);
      const F = { a: 0, b: m * k, bias: m * k + k * n, ap: 0, bp: 0, bpBias: 0, out: 0, tile: 0 };
      F.ap = F.bias + 32;
      F.bp = F.ap + 136 * k;
      F.bpBias = F.bp + n8 * k;
      F.out = F.bpBias + n8;
      F.tile = F.out + m * n + 8;
      const all = new Float32Array(F.tile + 64).fill(7);
      all.set(a, F.a);
      all.set(b, F.b);
      all.set(bias, F.bias);
      const { exports, memory } = onMemory(build.b64, build.shared, all);
      exports.pack_a4(4 * F.a, 4 * F.ap, m, k, k, 1);
      exports.pack_b8(4 * F.b, 4 * F.bp, k, n, n, 1);
      exports.pack_b8(4 * F.bias, 4 * F.bpBias, 1, n, 0, 1);
      exports.gemm4x8(4 * F.ap, 4 * F.bp, 4 * F.bpBias, 4 * F.out, m, k, n, 4 * F.tile);
      const out = new Float32Array(memory.buffer);
      let worst = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let want = bias[j];
          for (let kk = 0; kk < k; kk++) want += a[i * k + kk] * b[kk * n + j];
          worst = Math.max(worst, Math.abs(out[F.out + i * n + j] - want));
        }
      expect(worst).toBeLessThan(1e-4); // 600 float32 products summed (a k block lost or twice: errors ~5)
      expect(out[F.out + m * n]).toBe(7); // nothing written past the product
    },
  );

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

  it.each(BUILDS)('nonzero_exceeds answers count > limit at, below and above the limit ($build)', ({ b64, shared }) => {
    // 4,099 values (a tail of 3), about a third nonzero, some in the tail; limits around the true count, and
    // limits a dense prefix passes early (the answer must not depend on where the scan stops)
    const values = seededValues(4099, 9).map((v, i) => (Math.abs(v) < 0.6 && i % 7 !== 3 ? 0 : v));
    values[4098] = 1;
    const { exports } = onMemory(b64, shared, values);
    for (const n of [0, 3, 1024, 1027, 4096, 4099]) {
      let count = 0;
      for (let i = 0; i < n; i++) if (values[i] !== 0) count++;
      for (const limit of [0, 1, 100, count - 1, count, count + 1, n])
        if (limit >= 0)
          expect(exports.nonzero_exceeds(0, n, limit), `n ${n} limit ${limit}`).toBe(count > limit ? 1 : 0);
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
    exports.adamw(
      at(0),
      at(1),
      at(2),
      at(3),
      at(4),
      at(5),
      at(6),
      n,
      k.b1,
      k.b2,
      k.c1,
      k.c2,
      k.step,
      k.ib,
      k.eps,
      k.keep,
    );
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

  it("lstm_cell matches the JS cell's formulas, masked rows carrying their state, at saturating pre-activations", () => {
    const [rows, units] = [3, 12];
    const wide = rows * 4 * units;
    const narrow = rows * units;
    const x = seededValues(wide, 21).map((v) => v * 6);
    x.set([0, -0, 40, -40, 95, -95]); // σ and tanh saturate; e^x is clamped, so nothing is infinite
    const hu = seededValues(wide, 22);
    const c = seededValues(narrow, 23).map((v) => v * 3);
    const h = seededValues(narrow, 24);
    const m = Float32Array.of(1, 0, 1);
    const at = [0, wide, 2 * wide, 2 * wide + narrow, 2 * wide + 2 * narrow]; // x, hu, c, h, m
    const outAt = [at[4] + rows, at[4] + rows + wide, at[4] + rows + wide + narrow, at[4] + rows + wide + 2 * narrow];
    const all = new Float32Array(outAt[3] + narrow);
    [x, hu, c, h, m].forEach((v, i) => all.set(v, at[i]));
    const { exports, memory } = onMemory(OWN_KERNELS_PLAIN, false, all);
    const [x4, hu4, c4, h4, m4] = at.map((p) => 4 * p);
    const [g4, tc4, c24, h24] = outAt.map((p) => 4 * p);
    exports.lstm_cell(x4, hu4, c4, h4, m4, g4, tc4, c24, h24, rows, units);
    const out = new Float32Array(memory.buffer);
    const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));
    let worst = 0;
    const near = (got: number, want: number) => (worst = Math.max(worst, Math.abs(got - want)));
    for (let b = 0; b < rows; b++)
      for (let j = 0; j < units; j++) {
        const k = b * 4 * units + j;
        const a = (q: number) => x[k + q * units] + hu[k + q * units];
        const [i, f, g, o] = [sigmoid(a(0)), sigmoid(a(1)), Math.tanh(a(2)), sigmoid(a(3))];
        [i, f, g, o].forEach((want, q) => near(out[outAt[0] + k + q * units], want));
        const s = b * units + j;
        const cNew = f * c[s] + i * g;
        near(out[outAt[1] + s], Math.tanh(cNew));
        near(out[outAt[2] + s], c[s] + m[b] * (cNew - c[s]));
        near(out[outAt[3] + s], h[s] + m[b] * (o * Math.tanh(cNew) - h[s]));
      }
    expect(worst).toBeLessThan(1e-6);
    // The masked row carries c and h exactly.
    expect(out.slice(outAt[2] + units, outAt[2] + 2 * units)).toEqual(c.slice(units, 2 * units));
    expect(out.slice(outAt[3] + units, outAt[3] + 2 * units)).toEqual(h.slice(units, 2 * units));
  });

  it("lstm_cell_grad matches the JS cell's backward, masked rows passing their gradients back", () => {
    const [rows, units] = [3, 8];
    const wide = rows * 4 * units;
    const narrow = rows * units;
    // Inputs in order: dy, dhCarry, dhMat, dc, m, gates, tc, c; then outputs dA, dcPrev, dhPrev.
    const sizes = [narrow, narrow, narrow, narrow, rows, wide, narrow, narrow, wide, narrow, narrow];
    const at = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const all = new Float32Array(at[10] + narrow);
    const ins = [0, 1, 2, 3, 5, 6, 7].map((i) => seededValues(sizes[i], 30 + i));
    ins[4] = ins[4].map((v) => (v + 1) / 2); // gates in (0, 1), tanh gate's too: the formulas do not care
    [0, 1, 2, 3, 5, 6, 7].forEach((slot, i) => all.set(ins[i], at[slot]));
    all.set([1, 0, 1], at[4]);
    const { exports, memory } = onMemory(OWN_KERNELS_PLAIN, false, all);
    const p = at.map((v) => 4 * v);
    exports.lstm_cell_grad(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], rows, units);
    const v = new Float32Array(memory.buffer);
    const [dy, dhCarry, dhMat, dc, gates, tc, c] = ins;
    const m = [1, 0, 1];
    let worst = 0;
    const near = (got: number, want: number) => (worst = Math.max(worst, Math.abs(got - want)));
    for (let b = 0; b < rows; b++)
      for (let j = 0; j < units; j++) {
        const s = b * units + j;
        const k = b * 4 * units + j;
        const [i, f, g, o] = [0, 1, 2, 3].map((q) => gates[k + q * units]);
        const dh = dy[s] + dhCarry[s] + dhMat[s];
        const dhNew = m[b] * dh;
        const dcIn = m[b] * dc[s];
        const dcNew = dcIn + dhNew * o * (1 - tc[s] * tc[s]);
        const dA = [
          dcNew * g * i * (1 - i),
          dcNew * c[s] * f * (1 - f),
          dcNew * i * (1 - g * g),
          dhNew * tc[s] * o * (1 - o),
        ];
        dA.forEach((want, q) => near(v[at[8] + k + q * units], want));
        near(v[at[9] + s], dc[s] - dcIn + dcNew * f);
        near(v[at[10] + s], dh - dhNew);
      }
    expect(worst).toBeLessThan(1e-6);
    // The masked row: no gradient into its gates; dc and dh pass back unchanged.
    expect(Array.from(v.slice(at[8] + 4 * units, at[8] + 8 * units)).every((x) => x === 0)).toBe(true);
    expect(v.slice(at[9] + units, at[9] + 2 * units)).toEqual(dc.slice(units, 2 * units));
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
      expect(Math.abs(out[3 * n + j] - dy[j] * (cdf + x[j] * pdf))).toBeLessThanOrEqual(
        2e-6 * Math.max(1, Math.abs(x[j])),
      );
    }
    expect(out[2 * n + 4]).toBe(40); // GELU(40) = 40: Φ rounds to 1
    expect(Math.abs(out[2 * n + 5])).toBeLessThan(1e-30); // GELU(−40) = −40·Φ(−40) ≈ −1e-349: e^x stops at e^−87
  });
});
