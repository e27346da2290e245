import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGemmHelpers, stopGemmHelpers } from '../../../core/host-node/gemm-helpers';
import { createGemmChannel, gemmThreads, PARALLEL_MIN_MACS, useGemmHelpers } from '../../../core/kernels/gemm-pool';
import { registerWordloomKernels } from '../../../core/kernels';
import { relativeError, seededValues, useBackend } from './helpers';

/** Products big enough to be split (M·K·N ≥ PARALLEL_MIN_MACS), in the forms a training step makes. */
const CASES = [
  { name: 'dense forward with bias (_FusedMatMul)', a: [3, 129, 96], b: [96, 130], bias: true, tA: false, tB: false },
  { name: 'rows folded from a batch', a: [4, 101, 64], b: [64, 200], bias: false, tA: false, tB: false },
  { name: 'weight gradient (transposeA)', a: [301, 96], b: [301, 128], bias: false, tA: true, tB: false },
  { name: 'input gradient (transposeB)', a: [257, 128], b: [96, 128], bias: false, tA: false, tB: true },
  { name: 'odd rows (uneven split)', a: [7, 97], b: [97, 1601], bias: false, tA: false, tB: false },
];

function product(c: (typeof CASES)[number]): Float32Array {
  const out = tf.tidy(() => {
    const a = tf.tensor(seededValues(tf.util.sizeFromShape(c.a), 1), c.a);
    const b = tf.tensor(seededValues(tf.util.sizeFromShape(c.b), 2), c.b);
    const n = c.tB ? c.b[0] : c.b[c.b.length - 1];
    const y = c.bias
      ? tf.fused.matMul({ a, b, bias: tf.tensor1d(seededValues(n, 3)), transposeA: c.tA, transposeB: c.tB })
      : tf.matMul(a, b, c.tA, c.tB);
    return y;
  });
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

describe('matmul helper threads (wasm)', () => {
  const alone = new Map<string, Float32Array>();

  beforeAll(async () => {
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    await stopGemmHelpers();
    for (const c of CASES) alone.set(c.name, product(c));
  }, 60_000);

  afterAll(async () => {
    await stopGemmHelpers();
  });

  it('every case is big enough to be split', () => {
    for (const c of CASES) {
      const m = c.tA ? c.a[c.a.length - 1] : tf.util.sizeFromShape(c.a) / c.a[c.a.length - 1];
      const k = c.tA ? c.a[0] : c.a[c.a.length - 1];
      const n = c.tB ? c.b[0] : c.b[c.b.length - 1];
      expect(m * k * n, c.name).toBeGreaterThanOrEqual(PARALLEL_MIN_MACS);
    }
  });

  it('a helper thread starts, and split products equal one thread\'s', async () => {
    expect(await startGemmHelpers(2)).toBe(2);
    for (const c of CASES) expect(relativeError(product(c), alone.get(c.name)!), c.name).toBeLessThan(1e-6);
    expect(gemmThreads()).toBe(2); // no helper was dropped on the way
  }, 60_000);

  it('the tensors of a split product are all freed', async () => {
    expect(await startGemmHelpers(2)).toBe(2);
    product(CASES[0]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) for (const c of CASES) product(c);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('a helper that never answers is dropped, and its rows are computed here', async () => {
    await stopGemmHelpers();
    const silent = createGemmChannel();
    new Int32Array(silent.control)[5] = 1; // says it is ready, then never serves
    useGemmHelpers([silent], { answerMs: 50 });
    expect(gemmThreads()).toBe(2);
    const c = CASES[1];
    expect(relativeError(product(c), alone.get(c.name)!)).toBeLessThan(1e-6);
    expect(gemmThreads()).toBe(1);
    for (const d of CASES) expect(relativeError(product(d), alone.get(d.name)!), d.name).toBeLessThan(1e-6);
    useGemmHelpers([]);
  });
});
