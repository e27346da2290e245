import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { rowGathersRun } from '../../../core/kernels/wasm-gather';
import { seededValues, take, useBackend } from './helpers';

const ids = (shape: number[], rows: number, seed: number) =>
  Int32Array.from({ length: tf.util.sizeFromShape(shape) }, (_, i) => (i * 7 + seed * 13) % rows);

const CASES: { table: number[]; indices: number[]; axis: number; dtype: 'float32' | 'int32'; ours: boolean }[] = [
  { table: [69, 128], indices: [12, 64], axis: 0, dtype: 'float32', ours: true }, // the Mini GPT's lookup
  { table: [10, 3, 5], indices: [7], axis: 0, dtype: 'float32', ours: true }, // rows of a rank-3 table
  { table: [9, 4], indices: [2, 3, 2], axis: -2, dtype: 'float32', ours: true }, // axis 0 given as −2
  { table: [9, 4], indices: [5], axis: 0, dtype: 'int32', ours: true }, // an int32 table
  { table: [6], indices: [4], axis: 0, dtype: 'float32', ours: true }, // a vector: rows of one
  { table: [9, 4], indices: [5], axis: 1, dtype: 'float32', ours: false }, // columns: the stock kernel
];

describe('wasm GatherV2 by rows', () => {
  it.each(CASES)('gathers $indices from $table on axis $axis ($dtype) as the cpu backend does', async (c) => {
    const rows = c.table[c.axis < 0 ? c.axis + c.table.length : c.axis];
    const run = () =>
      tf.tidy(() => {
        const values = seededValues(tf.util.sizeFromShape(c.table), 3);
        const table =
          c.dtype === 'int32'
            ? tf.tensor(
                values.map((v) => Math.round(v * 100)),
                c.table,
                'int32',
              )
            : tf.tensor(values, c.table);
        return tf.gather(table, tf.tensor(ids(c.indices, rows, 1), c.indices, 'int32'), c.axis);
      });
    await useBackend('cpu');
    const want = run();
    const [shape, values] = [want.shape, take(want)];
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    const before = rowGathersRun();
    const got = run();
    expect(got.shape).toEqual(shape);
    expect(got.dtype).toBe(c.dtype);
    expect(take(got)).toEqual(values); // copies: exactly equal
    expect(rowGathersRun() - before).toBe(c.ours ? 1 : 0);
  });

  it('leaves an index out of range to the stock kernel, and the embedding gradient unchanged', async () => {
    await useBackend('wasm');
    registerWordloomKernels('wasm');
    const before = rowGathersRun();
    // 4 is past the last row: the stock kernel takes it, and refuses it as it always did.
    expect(() => tf.tidy(() => tf.gather(tf.ones([4, 2]), tf.tensor1d([1, 4], 'int32')))).toThrow(
      'GatherV2: the index value 4 is not in [0, 3]',
    );
    expect(rowGathersRun()).toBe(before);
    const grad = () =>
      tf.tidy(() => {
        const table = tf.tensor2d(seededValues(8 * 6, 5), [8, 6]);
        const picked = tf.tensor2d(ids([3, 5], 8, 2), [3, 5], 'int32');
        return tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, picked))))(table);
      });
    const mine = take(grad());
    await useBackend('cpu');
    expect(take(grad())).toEqual(mine);
  });
});
