import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiHeadSelfAttention, TransformerBlock } from '../../../core/layers/index';
import { ids, maxAbsDiff, sym, syms } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const V = 20;
const D = 8;

/** tokens (B, T) -> embedding -> layer; outputs [y (B, T, D), probs (B, heads, T, T)]. T is left open. */
function model(kind: 'attention' | 'block', causal: boolean, seqLen: number | null = null): tf.LayersModel {
  const tokens = tf.input({ shape: [seqLen], dtype: 'int32' });
  const x = sym(
    tf.layers
      .embedding({
        inputDim: V,
        outputDim: D,
        embeddingsInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 3 }),
      })
      .apply(tokens),
  );
  const layer =
    kind === 'attention'
      ? new MultiHeadSelfAttention({ numHeads: 2, causal })
      : new TransformerBlock({ numHeads: 2, ffMultiplier: 2, causal });
  return tf.model({ inputs: tokens, outputs: syms(layer.apply([x, tokens])) });
}

function predict(m: tf.LayersModel, rows: number[][]): [tf.Tensor, tf.Tensor] {
  const out = m.predict(ids(rows));
  if (!Array.isArray(out) || out.length !== 2 || !out[0] || !out[1]) throw new Error('expected [y, probs]');
  return [out[0], out[1]];
}

const kinds = ['attention', 'block'] as const;

describe.each(kinds)('%s masks', (kind) => {
  it('causal: changing token t+1 leaves every position <= t unchanged (1e-6); non-causal does not', () => {
    const causal = model(kind, true);
    const open = model(kind, false);
    const seq = [4, 9, 1, 17, 6, 3];
    for (let t = 0; t < seq.length - 1; t++) {
      const changed = seq.map((v, i) => (i === t + 1 ? (v % (V - 1)) + 1 : v));
      const [a] = predict(causal, [seq]);
      const [b] = predict(causal, [changed]);
      expect(maxAbsDiff(tf.slice(a, [0, 0, 0], [1, t + 1, D]), tf.slice(b, [0, 0, 0], [1, t + 1, D]))).toBeLessThan(
        1e-6,
      );
      expect(maxAbsDiff(tf.slice(a, [0, t + 1, 0], [1, 1, D]), tf.slice(b, [0, t + 1, 0], [1, 1, D]))).toBeGreaterThan(
        1e-4,
      );
      const [c] = predict(open, [seq]);
      const [e] = predict(open, [changed]);
      expect(maxAbsDiff(tf.slice(c, [0, 0, 0], [1, 1, D]), tf.slice(e, [0, 0, 0], [1, 1, D]))).toBeGreaterThan(1e-4);
    }
  });

  it.each([true, false])('padding: real positions equal the unpadded sequence (causal %s)', (isCausal) => {
    const m = model(kind, isCausal);
    const [padded] = predict(m, [[5, 11, 2, 8, 0, 0, 0]]);
    const [plain] = predict(m, [[5, 11, 2, 8]]);
    expect(maxAbsDiff(tf.slice(padded, [0, 0, 0], [1, 4, D]), plain)).toBeLessThan(1e-5);
  });

  it('probabilities: rows sum to 1 over visible keys, 0 on padding keys, and all-padding rows stay finite', () => {
    const m = model(kind, true);
    const [y, probs] = predict(m, [
      [3, 6, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(probs.shape).toEqual([2, 2, 4, 4]);
    const p = probs.arraySync() as number[][][][];
    for (const head of p[0] ?? []) {
      expect(head[1]?.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      for (const row of head) expect((row[2] ?? 1) + (row[3] ?? 1)).toBe(0); // padding keys
      expect(head[0]?.[1]).toBe(0); // a later key under the causal mask
    }
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from(probs.dataSync()).every(Number.isFinite)).toBe(true);
  });
});

describe('attention layer contracts', () => {
  it('refuses a width that does not split into the heads, naming both numbers', () => {
    const tokens = tf.input({ shape: [4], dtype: 'int32' });
    const x = tf.input({ shape: [4, 10] });
    expect(() => new TransformerBlock({ numHeads: 4, ffMultiplier: 2, causal: true }).apply([x, tokens])).toThrow(
      /dim 10 is not divisible by numHeads 4/,
    );
    expect(() => new MultiHeadSelfAttention({ numHeads: 0, causal: true })).toThrow(
      /numHeads must be a positive integer, got 0/,
    );
  });

  it('dropout is active in training only', () => {
    const layer = new MultiHeadSelfAttention({ numHeads: 2, causal: false, dropout: 0.5 });
    const x = tf.randomNormal([1, 5, D], 0, 1, 'float32', 1);
    const tokens = ids([[1, 2, 3, 4, 5]]);
    const at = (training: boolean) => {
      const out = layer.call([x, tokens], { training });
      return Array.isArray(out) && out[0] ? out[0] : tf.scalar(NaN);
    };
    layer.build([
      [1, 5, D],
      [1, 5],
    ]);
    expect(maxAbsDiff(at(false), at(false))).toBe(0);
    expect(maxAbsDiff(at(false), at(true))).toBeGreaterThan(1e-3);
  });
});
