import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enableRelaxedSimd } from '../../../core/host-node/backend';
import { registerWordloomKernels, unregisterWordloomKernels } from '../../../core/kernels';
import { isWasmBackend } from '../../../core/kernels/backend-access';
import { dropPackedB, ownPackedBReuses, ownProductsRun } from '../../../core/kernels/own-gemm';
import { ownWasmFlavour, setOwnWasmEnabled, setOwnWasmRelaxed } from '../../../core/kernels/own-wasm';
import { sparseProductsRun } from '../../../core/kernels/wasm-matmul';
import { relativeError, seededValues, take, useBackend } from './helpers';

/** Logical operand shapes (…, M, K)·(…, K, N); a flagged operand is stored with its last two axes swapped. */
const SHAPES: { name: string; a: number[]; b: number[] }[] = [
  { name: '2-D', a: [33, 17], b: [17, 29] },
  { name: 'equal batches', a: [5, 33, 17], b: [5, 17, 29] },
  { name: 'b broadcast, rank 2', a: [5, 33, 17], b: [17, 29] },
  { name: 'b broadcast, batch 1', a: [5, 33, 17], b: [1, 17, 29] },
  { name: 'a broadcast, rank 2', a: [33, 17], b: [5, 17, 29] },
  { name: 'a broadcast, batch 1', a: [1, 33, 17], b: [5, 17, 29] },
  { name: 'rank 4 by rank 3', a: [2, 3, 9, 7], b: [3, 7, 4] },
  { name: 'two-way broadcast', a: [2, 1, 9, 7], b: [1, 3, 7, 4] },
  { name: 'attention scores', a: [12, 32, 16], b: [12, 16, 32] },
  { name: 'tiny entries (stock loop)', a: [40, 1, 8], b: [40, 8, 12] },
  { name: 'tiny entries, a broadcast', a: [1, 3, 4], b: [6, 4, 5] },
];
const FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
const CASES = SHAPES.flatMap((shape, s) =>
  FLAGS.map(([transposeA, transposeB]) => ({ ...shape, transposeA, transposeB, seed: 10 * s })),
);

const swapLast = (shape: number[]): number[] => [
  ...shape.slice(0, -2),
  shape[shape.length - 1],
  shape[shape.length - 2],
];
const operands = (c: (typeof CASES)[number]): [tf.Tensor, tf.Tensor] => {
  const aShape = c.transposeA ? swapLast(c.a) : c.a;
  const bShape = c.transposeB ? swapLast(c.b) : c.b;
  return [
    tf.tensor(seededValues(tf.util.sizeFromShape(aShape), c.seed + 1), aShape),
    tf.tensor(seededValues(tf.util.sizeFromShape(bShape), c.seed + 2), bShape),
  ];
};

/** The product composed another way on cpu: explicit transposes, explicit broadcasting, then equal-batch matMul. */
function referenceProduct(c: (typeof CASES)[number]): { shape: number[]; values: number[] } {
  return tf.tidy(() => {
    const [aStored, bStored] = operands(c);
    const a = c.transposeA ? tf.transpose(aStored, swapLast(aStored.shape.map((_, i) => i))) : aStored;
    const b = c.transposeB ? tf.transpose(bStored, swapLast(bStored.shape.map((_, i) => i))) : bStored;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = tf.matMul(
      tf.broadcastTo(a, [...outer, ...a.shape.slice(-2)]),
      tf.broadcastTo(b, [...outer, ...b.shape.slice(-2)]),
    );
    return { shape: out.shape, values: Array.from(out.dataSync()) };
  });
}

/** a · b by the definition, in float64. */
function cpuProduct(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, x, kk) => sum + x * b[kk][j], 0)));
}

const references = new Map<string, { shape: number[]; values: number[] }>();
const key = (c: (typeof CASES)[number]) => `${c.name}/${c.transposeA}/${c.transposeB}`;

beforeAll(async () => {
  expect(enableRelaxedSimd()).toBe(true); // Node 20 behind a V8 flag, Node 22 by default
  await useBackend('cpu');
  for (const c of CASES) references.set(key(c), referenceProduct(c));
  await useBackend('wasm');
});

const WASM_KERNELS = [
  'UnsortedSegmentSum',
  'WordloomAdamW',
  'WordloomLstmCell',
  'WordloomLstmCellGrad',
  'WordloomLayerNorm',
  'WordloomLayerNormGrad',
  'WordloomGelu',
  'WordloomGeluGrad',
  'WordloomAttention',
  'WordloomAttentionGrad',
  'WordloomLstmSequence',
  'WordloomLstmSequenceGrad',
  'WordloomGruSequence',
  'WordloomGruSequenceGrad',
  'WordloomRnnSequence',
  'WordloomRnnSequenceGrad',
  'WordloomSoftmaxCrossEntropy',
  'WordloomSoftmaxCrossEntropyGrad',
  'BatchMatMul',
  '_FusedMatMul',
  'Tile',
  'Slice',
  'Unpack',
  'SplitV',
  'Identity',
  'GatherV2',
  'Sum',
];

describe('wasm BatchMatMul through XNNPACK', () => {
  it('registers once: a second call keeps the same kernel', () => {
    expect(registerWordloomKernels('wasm')).toEqual(WASM_KERNELS);
    const first = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
    expect(registerWordloomKernels('wasm')).toEqual(WASM_KERNELS);
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).toBe(first);
  });

  afterEach(() => {
    setOwnWasmEnabled(true);
    setOwnWasmRelaxed(true);
  });

  /** Our GEMM in each build (fused multiply-adds, or multiply then add), and the XNNPACK routes without it. */
  const ROUTES = [
    { route: 'own GEMM, relaxed SIMD', own: true, relaxed: true },
    { route: 'own GEMM, SIMD128', own: true, relaxed: false },
    { route: 'XNNPACK and the stock loop', own: false, relaxed: false },
  ];
  const useRoute = (r: (typeof ROUTES)[number]): void => {
    setOwnWasmEnabled(r.own);
    setOwnWasmRelaxed(r.relaxed);
    registerWordloomKernels('wasm');
    const backend: unknown = tf.engine().backend;
    if (!isWasmBackend(backend)) throw new Error('not on wasm');
    expect(ownWasmFlavour(backend)).toBe(r.own ? (r.relaxed ? 'relaxed' : 'simd') : undefined);
  };

  describe.each(ROUTES)('$route', (r) => {
    it.each(CASES)('$name, transposeA=$transposeA transposeB=$transposeB equals the cpu reference', (c) => {
      useRoute(r);
      const [a, b] = operands(c);
      const before = ownProductsRun();
      const out = tf.matMul(a, b, c.transposeA, c.transposeB);
      const want = references.get(key(c));
      expect(out.shape).toEqual(want?.shape);
      expect(relativeError(take(out), want?.values ?? [])).toBeLessThan(1e-5);
      // Products of 4 rows or more take our GEMM when it runs; fewer keep XNNPACK or the stock loop.
      const rows = c.transposeA || c.b.length > 2 ? c.a[c.a.length - 2] : tf.util.sizeFromShape(c.a.slice(0, -1));
      expect(ownProductsRun() - before).toBe(r.own && rows >= 4 ? 1 : 0);
      tf.dispose([a, b]);
    });
  });

  it('any shapes, batches and flags: our GEMM equals the cpu backend (property, both builds)', async () => {
    const dim = fc.integer({ min: 1, max: 21 });
    const batch = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });
    const shapeCase = fc.record({
      m: fc.integer({ min: 4, max: 23 }),
      k: dim,
      n: dim,
      outer: batch,
      bBatch1: fc.boolean(),
      tA: fc.boolean(),
      tB: fc.boolean(),
      relaxed: fc.boolean(),
      bias: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(shapeCase, async (c) => {
        const aShape = [...c.outer, ...(c.tA ? [c.k, c.m] : [c.m, c.k])];
        const bOuter = c.bBatch1 ? [] : c.outer;
        const bShape = [...bOuter, ...(c.tB ? [c.n, c.k] : [c.k, c.n])];
        const fused = c.bias && !c.tA && !c.tB && c.bBatch1;
        const run = () =>
          tf.tidy(() => {
            const a = tf.tensor(seededValues(tf.util.sizeFromShape(aShape), c.seed), aShape);
            const b = tf.tensor(seededValues(tf.util.sizeFromShape(bShape), c.seed + 1), bShape);
            if (fused) return tf.fused.matMul({ a, b, bias: tf.tensor1d(seededValues(c.n, c.seed + 2)) });
            return tf.matMul(a, b, c.tA, c.tB);
          });
        await useBackend('cpu');
        const want = run();
        const [shape, values] = [want.shape, take(want)];
        await useBackend('wasm');
        useRoute({ route: '', own: true, relaxed: c.relaxed });
        const before = ownProductsRun();
        const got = run();
        expect(ownProductsRun()).toBe(before + 1);
        expect(got.shape).toEqual(shape);
        expect(relativeError(take(got), values)).toBeLessThan(1e-5);
      }),
      { numRuns: 60, seed: 20261202 },
    );
  });

  it.each([
    { a: [64, 501], b: [501, 37], tA: false, tB: false }, // a bag of words by a dense layer's kernel
    { a: [64, 501], b: [64, 37], tA: true, tB: false }, // its weight gradient
    { a: [3, 40, 200], b: [1, 200, 33], tA: false, tB: false }, // batch folded into rows
    { a: [3, 200, 40], b: [33, 200], tA: true, tB: true },
  ])('mostly-zero a $a by $b (transposeA $tA, transposeB $tB) takes the sparse kernel, equal to cpu', async (c) => {
    const run = () =>
      tf.tidy(() => {
        const dense = seededValues(tf.util.sizeFromShape(c.a), 21);
        const picked = seededValues(dense.length, 22);
        const values = dense.map((v, i) => (picked[i] > 0.96 ? Math.round(v * 3) + 4 : 0)); // ~2% nonzero counts
        const a = tf.tensor(values, c.a);
        const b = tf.tensor(seededValues(tf.util.sizeFromShape(c.b), 23), c.b);
        return tf.matMul(a, b, c.tA, c.tB);
      });
    await useBackend('cpu');
    const want = run();
    const [shape, values] = [want.shape, take(want)];
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    const sparseBefore = sparseProductsRun();
    const got = run();
    expect(sparseProductsRun()).toBe(sparseBefore + 1);
    expect(got.shape).toEqual(shape);
    expect(relativeError(take(got), values)).toBeLessThan(1e-5);
    // A dense a of the same shape stays on XNNPACK.
    tf.tidy(() => tf.matMul(tf.ones(c.a), tf.ones(c.b), c.tA, c.tB).dataSync());
    expect(sparseProductsRun()).toBe(sparseBefore + 1);
  });

  it.each([
    { a: [3, 129, 96], b: [96, 130], bias: true },
    { a: [2, 5, 33, 17], b: [1, 17, 29], bias: true },
    { a: [3, 33, 17], b: [17, 29], bias: false },
    { a: [33, 17], b: [17, 29], bias: true },
  ])('fused matMul of $a by $b (bias $bias) equals the cpu reference', async (c) => {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor(seededValues(tf.util.sizeFromShape(c.a), 7), c.a);
        const b = tf.tensor(seededValues(tf.util.sizeFromShape(c.b), 8), c.b);
        const n = c.b[c.b.length - 1];
        return tf.fused.matMul({ a, b, bias: c.bias ? tf.tensor1d(seededValues(n, 9)) : undefined });
      });
    await useBackend('cpu');
    const want = run();
    const [shape, values] = [want.shape, take(want)];
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    const got = run();
    expect(got.shape).toEqual(shape);
    expect(relativeError(take(got), values)).toBeLessThan(1e-5);
  });

  it("reuses a b packed by the last product while the same tensor comes back, and only then (a recurrence's weight)", () => {
    registerWordloomKernels('wasm');
    const check = (a: tf.Tensor, b: tf.Tensor, transposeB: boolean): void => {
      const got = tf.matMul(a, b, false, transposeB);
      const want = tf.tidy(() => {
        const bt = transposeB ? tf.transpose(b) : b;
        return tf.tensor(cpuProduct(a.arraySync() as number[][], bt.arraySync() as number[][]));
      });
      expect(relativeError(take(got), Array.from(want.dataSync()))).toBeLessThan(1e-5);
      tf.dispose([got, want]);
    };
    // The LSTM LM's step: h (B, H) · U (H, 4H) at every time step, then dA (B, 4H) · Uᵀ backward.
    const u = tf.variable(tf.tensor(seededValues(24 * 40, 3), [24, 40]));
    const hs = [4, 5, 6].map((s) => tf.tensor(seededValues(8 * 24, s), [8, 24]));
    const das = [7, 8].map((s) => tf.tensor(seededValues(8 * 40, s), [8, 40]));
    dropPackedB();
    const reused = ownPackedBReuses();
    hs.forEach((h) => check(h, u, false));
    expect(ownPackedBReuses() - reused).toBe(2); // packed once, kept for the next two
    das.forEach((da) => check(da, u, true)); // Uᵀ: packed anew, then kept
    expect(ownPackedBReuses() - reused).toBe(3);
    // An update is a new dataId: the new values are packed, not the kept copy's.
    u.assign(tf.tensor(seededValues(24 * 40, 9), [24, 40]));
    check(das[0], u, true);
    expect(ownPackedBReuses() - reused).toBe(3);
    // A reshape shares the data, with other sizes: packed anew.
    const u2 = u.reshape([40, 24]);
    check(tf.tensor(seededValues(8 * 40, 10), [8, 40]), u2, false);
    expect(ownPackedBReuses() - reused).toBe(3);
    tf.dispose([u, u2, ...hs, ...das]);
  });

  it('leaves no tensors or wasm buffers behind (views are released) but the kept packed b', () => {
    registerWordloomKernels('wasm');
    dropPackedB();
    const a = tf.tensor(seededValues(2 * 3 * 9 * 7, 1), [2, 3, 9, 7]);
    const b = tf.tensor(seededValues(3 * 4 * 7, 2), [3, 4, 7]);
    const a3 = a.reshape([6, 9, 7]);
    const w = tf.tensor(seededValues(7 * 5, 3), [7, 5]); // one b for every entry: its packed copy is kept
    const backend = tf.engine().backend;
    const [tensors, buffers] = [tf.memory().numTensors, backend.numDataIds()];
    for (let i = 0; i < 5; i++) {
      tf.matMul(a, b, false, true).dispose();
      tf.matMul(a3, a3, true, false).dispose();
      tf.matMul(a3, w).dispose();
    }
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual([tensors, buffers + 1]);
    dropPackedB();
    expect(backend.numDataIds()).toBe(buffers);
    tf.dispose([a, b, a3, w]);
  });

  it('puts the stock kernel back on unregister', () => {
    registerWordloomKernels('wasm');
    const ours = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
    unregisterWordloomKernels('wasm');
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).not.toBe(ours);
    expect(registerWordloomKernels('wasm')).toContain('BatchMatMul');
  });
});
