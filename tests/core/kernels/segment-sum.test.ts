import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWordloomKernels, unregisterWordloomKernels } from '../../../core/kernels';
import { relativeError, seededInts, seededValues, take, useBackend } from './helpers';

// Small enough for the stock cpu kernel (O(segments × N × C)) to serve as the reference.
const N = 120;
const C = 7;
const SEGMENTS = 30;
const xValues = seededValues(N * C, 1);
const ids = seededInts(N, -4, SEGMENTS + 4, 2); // includes negative and out-of-range ids, which tf drops
const ids2d = seededInts(N * 3, -2, SEGMENTS + 2, 3); // segmentIds (N, 3) over x (N, 3, C)
const x3dValues = seededValues(N * 3 * C, 4);
const VOCAB = 25;
const tokens = seededInts(6 * 5, 0, VOCAB, 5); // (B, T) = (6, 5)
const tableValues = seededValues(VOCAB * C, 6);
const headValues = seededValues(C, 7);

/** d/dtable of Σ (gather(table, tokens) · head)²: the Embedding gradient runs through UnsortedSegmentSum. */
function embeddingGradient(): number[] {
  const table = tf.tensor2d(tableValues, [VOCAB, C]);
  const head = tf.tensor1d(headValues);
  const lookup = tf.tensor2d(tokens, [6, 5], 'int32');
  const grad = tf.grad((t: tf.Tensor) => tf.gather(t, lookup).mul(head).square().sum())(table);
  tf.dispose([table, head, lookup]);
  return take(grad);
}

const reference: { flat: number[]; rank2: number[]; int32: number[]; embeddingGrad: number[] } = {
  flat: [],
  rank2: [],
  int32: [],
  embeddingGrad: [],
};

beforeAll(async () => {
  await useBackend('cpu');
  unregisterWordloomKernels('cpu');
  reference.flat = take(tf.unsortedSegmentSum(tf.tensor2d(xValues, [N, C]), tf.tensor1d(ids, 'int32'), SEGMENTS));
  // TensorFlow's semantics for (N, 3) ids over (N, 3, C) x, composed from 1-D ids the stock kernel supports.
  reference.rank2 = take(
    tf.unsortedSegmentSum(tf.tensor2d(x3dValues, [N * 3, C]), tf.tensor1d(ids2d, 'int32'), SEGMENTS),
  );
  const xInt = tf.tensor2d(
    Int32Array.from(xValues, (v) => Math.round(v * 100)),
    [N, C],
    'int32',
  );
  reference.int32 = take(tf.unsortedSegmentSum(xInt, tf.tensor1d(ids, 'int32'), SEGMENTS));
  reference.embeddingGrad = embeddingGradient();
});

describe.each(['cpu', 'wasm'] as const)('linear UnsortedSegmentSum on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    expect(registerWordloomKernels(backend)).toContain('UnsortedSegmentSum');
  });

  it('equals the stock cpu kernel, dropping negative and out-of-range ids', () => {
    const out = tf.unsortedSegmentSum(tf.tensor2d(xValues, [N, C]), tf.tensor1d(ids, 'int32'), SEGMENTS);
    expect(out.shape).toEqual([SEGMENTS, C]);
    expect(relativeError(take(out), reference.flat)).toBeLessThan(1e-6);
  });

  it('sums over every id position for rank-2 segment ids, as TensorFlow does', () => {
    // tf.unsortedSegmentSum's typings only admit 1-D ids, so this calls the kernel directly.
    const inputs = { x: tf.tensor3d(x3dValues, [N, 3, C]), segmentIds: tf.tensor2d(ids2d, [N, 3], 'int32') };
    const out = tf.engine().runKernel('UnsortedSegmentSum', inputs, { numSegments: SEGMENTS });
    tf.dispose([inputs.x, inputs.segmentIds]);
    if (!(out instanceof tf.Tensor)) throw new Error('UnsortedSegmentSum gave more than one output.');
    expect(out.shape).toEqual([SEGMENTS, C]);
    expect(relativeError(take(out), reference.rank2)).toBeLessThan(1e-6);
  });

  it('sums int32 data exactly and keeps it int32', () => {
    const xInt = tf.tensor2d(
      Int32Array.from(xValues, (v) => Math.round(v * 100)),
      [N, C],
      'int32',
    );
    const out = tf.unsortedSegmentSum(xInt, tf.tensor1d(ids, 'int32'), SEGMENTS);
    expect(out.dtype).toBe('int32');
    expect(take(out)).toEqual(reference.int32);
  });

  it('matches a one-hot matmul for a 3,000-word vocabulary', () => {
    const [rows, vocab] = [512, 3000];
    const x = tf.tensor2d(seededValues(rows * 16, 8), [rows, 16]);
    const segmentIds = tf.tensor1d(seededInts(rows, -10, vocab + 10, 9), 'int32');
    const viaOneHot = take(tf.tidy(() => tf.matMul(tf.oneHot(segmentIds, vocab), x, true, false))); // (N, V)ᵀ·(N, 16) -> (V, 16)
    expect(relativeError(take(tf.unsortedSegmentSum(x, segmentIds, vocab)), viaOneHot)).toBeLessThan(1e-5);
    tf.dispose([x, segmentIds]);
  });

  it('gives tf.grad of an embedding lookup the stock cpu gradient', () => {
    expect(relativeError(embeddingGradient(), reference.embeddingGrad)).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind over repeated calls', () => {
    const x = tf.tensor2d(xValues, [N, C]);
    const segmentIds = tf.tensor1d(ids, 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.unsortedSegmentSum(x, segmentIds, SEGMENTS).dispose();
    embeddingGradient();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, segmentIds]);
  });
});
