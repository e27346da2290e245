import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BagOfWords,
  LastToken,
  MaskedMaxPool,
  MaskedMeanPool,
  MaskedRNN,
  PositionalEncoding,
} from '../../../core/layers/index';
import { orthogonalMatrix } from '../../../core/layers/orthogonal';
import { sinusoidTable } from '../../../core/layers/positional-encoding';
import type { RnnCell } from '../../../core/layers/masked-rnn';
import { ids, maxAbsDiff, run, sym, values } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** x (1, 3, 2) with known values and tokens where the last position is padding. */
const x = tf.tensor3d([
  [
    [1, -4],
    [3, -2],
    [100, 100],
  ],
]);
const tokens = ids([[5, 7, 0]]);
const callOne = (layer: tf.layers.Layer, inputs: tf.Tensor[]): tf.Tensor => {
  const y = layer.call(inputs, {});
  return Array.isArray(y) ? (y[0] ?? tf.scalar(NaN)) : y;
};

describe('masked pools and LastToken on known numbers', () => {
  it('MeanPool averages real positions only', () => {
    expect(values(callOne(new MaskedMeanPool({}), [x, tokens]))).toEqual([2, -3]);
  });
  it('MaxPool ignores padding even when it holds the largest values', () => {
    expect(values(callOne(new MaskedMaxPool({}), [x, tokens]))).toEqual([3, -2]);
  });
  it('LastToken picks the last real position', () => {
    expect(values(callOne(new LastToken({}), [x, tokens]))).toEqual([3, -2]);
    expect(values(callOne(new LastToken({}), [x, ids([[5, 0, 0]])]))).toEqual([1, -4]);
  });
  it.each([
    ['MeanPool', () => new MaskedMeanPool({})],
    ['MaxPool', () => new MaskedMaxPool({})],
    ['LastToken', () => new LastToken({})],
  ])('%s gives zeros for an all-padding row', (_, make) => {
    expect(values(callOne(make(), [x, ids([[0, 0, 0]])])).map(Math.abs)).toEqual([0, 0]);
  });
});

describe('BagOfWords', () => {
  const rows = ids([
    [3, 1, 3, 0, 0],
    [2, 2, 2, 2, 4],
  ]);
  it('counts every token except padding', () => {
    const y = callOne(new BagOfWords({ vocabSize: 5, binary: false }), [rows]);
    expect(y.shape).toEqual([2, 5]);
    expect(values(y)).toEqual([0, 1, 0, 2, 0, 0, 0, 4, 0, 1]);
  });
  it('binary mode marks presence', () => {
    expect(values(callOne(new BagOfWords({ vocabSize: 5, binary: true }), [rows]))).toEqual([
      0, 1, 0, 1, 0, 0, 0, 1, 0, 1,
    ]);
  });
});

describe('PositionalEncoding', () => {
  it('sinusoidal adds sin at even and cos at odd features', () => {
    const table = sinusoidTable(3, 4);
    expect(table[0]).toBe(0); // sin(0)
    expect(table[1]).toBe(1); // cos(0)
    expect(table[4]).toBeCloseTo(Math.sin(1), 6); // t=1, i=0
    expect(table[4 + 3]).toBeCloseTo(Math.cos(1 / 100), 6); // t=1, i=3: 10000^(2/4) = 100
    const layer = new PositionalEncoding({ kind: 'sinusoidal' });
    layer.build([2, 3, 4]);
    const y = callOne(layer, [tf.zeros([2, 3, 4])]);
    expect(maxAbsDiff(tf.slice(y, [1, 0, 0], [1, 3, 4]), tf.tensor3d(table, [1, 3, 4]))).toBeLessThan(1e-7);
    expect(layer.countParams()).toBe(0);
  });
  it('learned owns a (T, D) table and accepts shorter inputs', () => {
    const layer = new PositionalEncoding({ kind: 'learned' });
    layer.build([null, 6, 4]);
    expect(layer.countParams()).toBe(24);
    expect(callOne(layer, [tf.zeros([1, 4, 4])]).shape).toEqual([1, 4, 4]);
    expect(() => callOne(layer, [tf.zeros([1, 7, 4])])).toThrow(/sequence length 7 exceeds the 6 learned positions/);
  });
});

describe('MaskedRNN skips padding', () => {
  const D = 6;
  function rnnModel(cell: RnnCell, returnSequences: boolean, bidirectional: boolean): tf.LayersModel {
    const tok = tf.input({ shape: [null], dtype: 'int32' });
    const emb = sym(tf.layers.embedding({ inputDim: 30, outputDim: D }).apply(tok));
    const out = sym(new MaskedRNN({ cell, units: 5, returnSequences, bidirectional }).apply([emb, tok]));
    return tf.model({ inputs: tok, outputs: out });
  }
  const cases: [RnnCell, boolean][] = [
    ['rnn', false],
    ['lstm', false],
    ['gru', false],
    ['lstm', true],
    ['gru', true],
  ];
  it.each(cases)(
    '%s (bidirectional %s): outputs at real steps and the final state equal the unpadded run',
    (cell, bi) => {
      const seqModel = rnnModel(cell, true, bi);
      const padded = run(seqModel, ids([[4, 22, 9, 0, 0]]));
      const plain = run(seqModel, ids([[4, 22, 9]]));
      expect(maxAbsDiff(tf.slice(padded, [0, 0, 0], [1, 3, -1]), plain)).toBeLessThan(1e-5);
      const lastModel = rnnModel(cell, false, bi);
      const a = run(lastModel, ids([[4, 22, 9, 0, 0]]));
      const b = run(lastModel, ids([[4, 22, 9]]));
      expect(a.shape).toEqual([1, bi ? 10 : 5]);
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
      // Without the mask the padded steps would change the final state: the test can fail.
      const c = run(lastModel, ids([[4, 22, 9, 3, 3]]));
      expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
    },
  );
  it.each(cases)(
    "%s (bidirectional %s) computes what tf.js's own layer computes with the same weights (sigmoid gates)",
    (cell, bi) => {
      const units = 5;
      const ours = new MaskedRNN({ cell, units, returnSequences: true, bidirectional: bi });
      const args = { units, returnSequences: true, recurrentActivation: 'sigmoid' as const };
      const inner =
        cell === 'lstm' ? tf.layers.lstm(args) : cell === 'gru' ? tf.layers.gru(args) : tf.layers.simpleRNN(args);
      const theirs = bi ? tf.layers.bidirectional({ layer: inner, mergeMode: 'concat' }) : inner;
      const x = tf.randomNormal([2, 4, D], 0, 1, 'float32', 5);
      const tok = ids([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
      ours.apply([x, tok]); // builds both
      theirs.apply(x);
      // Perturbed weights (non-zero biases, non-orthogonal kernels) so every term matters.
      theirs.setWeights(ours.getWeights().map((w) => tf.add(w, tf.randomNormal(w.shape, 0, 0.3, 'float32', 9))));
      ours.setWeights(theirs.getWeights());
      const reference = theirs.apply(x);
      if (Array.isArray(reference) || reference instanceof tf.SymbolicTensor) throw new Error('expected one tensor');
      expect(reference.shape).toEqual([2, 4, bi ? 2 * units : units]);
      expect(maxAbsDiff(callOne(ours, [x, tok]), reference)).toBeLessThan(1e-5);
    },
  );

  it('refuses an unknown cell', () => {
    expect(
      () => new MaskedRNN({ cell: 'LSTM' as RnnCell, units: 3, returnSequences: true, bidirectional: false }),
    ).toThrow(/cell must be one of rnn, lstm, gru, got LSTM/);
  });
});

describe('orthogonal recurrent kernels without tf.linalg.qr', () => {
  const gram = (m: Float32Array, rows: number, cols: number, byRows: boolean): number => {
    // Largest deviation of the Gram matrix of the shorter side from the identity.
    const k = byRows ? rows : cols;
    const at = (v: number, i: number) => (byRows ? (m[v * cols + i] ?? 0) : (m[i * cols + v] ?? 0));
    const n = byRows ? cols : rows;
    let worst = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += at(a, i) * at(b, i);
        worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
      }
    return worst;
  };
  it.each([
    [4, 16],
    [16, 4],
    [7, 7],
  ])('orthogonalMatrix(%i, %i) has orthonormal rows or columns', (rows, cols) => {
    expect(gram(orthogonalMatrix(rows, cols), rows, cols, rows <= cols)).toBeLessThan(1e-5);
  });
  it('a 256-unit LSTM builds in seconds, not minutes, and its recurrent kernel has orthonormal rows', () => {
    const layer = new MaskedRNN({ cell: 'lstm', units: 256, returnSequences: true, bidirectional: false });
    const start = Date.now();
    layer.build([
      [null, 64, 32],
      [null, 64],
    ]);
    expect(Date.now() - start).toBeLessThan(3000);
    const kernel = layer.weights.find((w) => w.originalName.endsWith('recurrent_kernel'));
    if (!kernel) throw new Error('no recurrent kernel');
    expect(kernel.shape).toEqual([256, 1024]);
    expect(gram(Float32Array.from(kernel.read().dataSync()), 256, 1024, true)).toBeLessThan(1e-4);
  });
});
