import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { seededValues, useBackend } from './helpers';

/** Shapes and slices: contiguous (leading axes only), strided (inner axes cut), every rank 1–5, int32 too. */
const SLICES: { shape: number[]; begin: number[]; size: number[]; dtype: 'float32' | 'int32' }[] = [
  { shape: [10], begin: [3], size: [4], dtype: 'float32' },
  { shape: [6, 5], begin: [2, 0], size: [3, 5], dtype: 'float32' },
  { shape: [6, 5], begin: [1, 2], size: [4, 2], dtype: 'int32' },
  { shape: [4, 3, 5], begin: [1, 1, 0], size: [2, 2, 5], dtype: 'float32' },
  { shape: [4, 3, 5], begin: [0, 0, 3], size: [4, 3, 2], dtype: 'float32' },
  { shape: [2, 3, 4, 5], begin: [1, 0, 1, 1], size: [1, 3, 2, 3], dtype: 'float32' },
  { shape: [2, 3, 2, 3, 4], begin: [0, 1, 0, 2, 1], size: [2, 2, 2, 1, 3], dtype: 'int32' },
  { shape: [3, 4], begin: [0, 0], size: [0, 4], dtype: 'float32' }, // empty
];

const values = (shape: number[], dtype: 'float32' | 'int32', seed: number): tf.Tensor => {
  const raw = seededValues(tf.util.sizeFromShape(shape), seed);
  return dtype === 'int32'
    ? tf.tensor(
        Int32Array.from(raw, (v) => Math.round(v * 1000)),
        shape,
        'int32',
      )
    : tf.tensor(raw, shape);
};

/** Runs `f` on cpu (the reference) and on wasm with Wordloom's kernels; returns both results as arrays. */
async function onBoth(
  f: () => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: number[][]; wasm: number[][]; shapes: number[][][] }> {
  const run = () => {
    const out = f();
    const list = Array.isArray(out) ? out : [out];
    const result = { data: list.map((t) => Array.from(t.dataSync())), shapes: list.map((t) => t.shape) };
    tf.dispose(out);
    return result;
  };
  await useBackend('cpu');
  const cpu = run();
  await useBackend('wasm');
  registerWordloomKernels('wasm');
  const before = tf.memory().numTensors;
  const wasm = run();
  expect(tf.memory().numTensors).toBe(before);
  return { cpu: cpu.data, wasm: wasm.data, shapes: [cpu.shapes, wasm.shapes] };
}

describe('wasm Slice, Unpack and SplitV from heap views', () => {
  it.each(SLICES)('slice of $shape at $begin size $size ($dtype) equals cpu', async ({ shape, begin, size, dtype }) => {
    const r = await onBoth(() => tf.tidy(() => tf.slice(values(shape, dtype, shape.length), begin, size)));
    expect(r.wasm).toEqual(r.cpu);
    expect(r.shapes[1]).toEqual(r.shapes[0]);
  });

  it.each([
    { shape: [5, 3, 4], axis: 0 },
    { shape: [5, 3, 4], axis: 1 },
    { shape: [5, 3, 4], axis: -1 },
    { shape: [7], axis: 0 },
  ])('unstack of $shape on axis $axis equals cpu', async ({ shape, axis }) => {
    const r = await onBoth(() => tf.tidy(() => tf.unstack(values(shape, 'float32', 3), axis)));
    expect(r.wasm).toEqual(r.cpu);
    expect(r.shapes[1]).toEqual(r.shapes[0]);
  });

  it.each([
    { shape: [6, 4], splits: 3, axis: 0 },
    { shape: [2, 9, 3], splits: [2, 3, 4], axis: 1 },
    { shape: [2, 3, 8], splits: [5, -1], axis: 2 },
  ])('split of $shape into $splits on axis $axis equals cpu', async ({ shape, splits, axis }) => {
    const r = await onBoth(() => tf.tidy(() => tf.split(values(shape, 'int32', 4), splits, axis)));
    expect(r.wasm).toEqual(r.cpu);
    expect(r.shapes[1]).toEqual(r.shapes[0]);
  });

  it('gradients through unstack and split are unchanged (stack and concat of the pieces)', async () => {
    const f = () =>
      tf.tidy(() => {
        const x = values([4, 6], 'float32', 9);
        const w = values([4, 6], 'float32', 10);
        return tf.grad((t: tf.Tensor) => {
          const rows = tf.unstack(t);
          const [a, b] = tf.split(t, [2, 4], 1);
          return tf.add(tf.sum(tf.mul(tf.stack(rows.reverse()), w)), tf.add(tf.sum(tf.square(a)), tf.sum(b)));
        })(x);
      });
    const r = await onBoth(f);
    r.wasm[0].forEach((v, i) => expect(v).toBeCloseTo(r.cpu[0][i], 5));
  });
});
