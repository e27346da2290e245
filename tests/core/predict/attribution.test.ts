import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WordTokenizer } from '../../../core/data/tokenizers/word';
import { logOdds, predict, type Predictor } from '../../../core/predict/predict';
import type { ClassPrediction } from '../../../core/predict/types';

/**
 * A classifier whose answer is known: each word has a fixed score per class, summed over the text (mean over the
 * T positions, padding scoring 0). Its log-odds for "pos" are Σ (pos − neg) / T, so removing word i changes them by
 * exactly (pos_i − neg_i) / T: what a signed, log-odds attribution must report, however confident the model is.
 */
const WORDS = ['great', 'awful', 'the', 'film', 'fine'];
// Scores per word (pos − neg): great +40, awful −24, the 0, film 0, fine +8. Large, so the model is very confident.
const SCORES: Record<string, [number, number]> = {
  great: [0, 40],
  awful: [24, 0],
  the: [0, 0],
  film: [0, 0],
  fine: [0, 8],
};
const T = 8;

function knownModel(): Predictor {
  const tokenizer = WordTokenizer.learn([WORDS.join(' ')]);
  const weights = new Float32Array(tokenizer.vocabSize * 2);
  for (const w of WORDS) {
    const id = tokenizer.encode(w)[0];
    weights.set(SCORES[w], id * 2);
  }
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: tokenizer.vocabSize,
        outputDim: 2,
        inputLength: T,
        weights: [tf.tensor2d(weights, [tokenizer.vocabSize, 2])],
      }),
      tf.layers.globalAveragePooling1d(),
    ],
  });
  return { model, tokenizer, labels: ['neg', 'pos'], seqLen: T, task: 'classify', promptCompletion: false };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('classifier attributions: occlusion in log-odds', () => {
  it('gives the known answer, signed, for a confident prediction', async () => {
    const p = knownModel();
    const before = tf.memory().numTensors;
    const pred = (await predict(p, 'the great film awful fine')) as ClassPrediction;
    expect(tf.memory().numTensors).toBe(before);
    expect(pred.kind).toBe('classify');
    expect(pred.label).toBe('pos');
    // (40 − 24 + 8) / 8 = 3 nats: p(pos) ≈ 0.95; the earlier probability differences would be tiny for "fine".
    expect(pred.probs.pos).toBeCloseTo(1 / (1 + Math.exp(-3)), 5);
    const byWord = Object.fromEntries(pred.tokens.map((t) => [t.text, t.weight]));
    expect(byWord.great).toBeCloseTo(40 / T, 4);
    expect(byWord.awful).toBeCloseTo(-24 / T, 4);
    expect(byWord.fine).toBeCloseTo(8 / T, 4);
    expect(byWord.the).toBeCloseTo(0, 5);
    expect(byWord.film).toBeCloseTo(0, 5);
  });

  it('stays informative when the model is near certain (probability differences would all be ≈ 0)', async () => {
    const p = knownModel();
    // Σ = 40·3 + 8 = 128 → log-odds 16: p(pos) = 0.9999999 in float32.
    const pred = (await predict(p, 'great great great fine film')) as ClassPrediction;
    expect(pred.probs.pos).toBeGreaterThan(0.99999);
    const fine = pred.tokens.find((t) => t.text === 'fine')?.weight ?? NaN;
    const great = pred.tokens.find((t) => t.text === 'great')?.weight ?? NaN;
    expect(fine).toBeCloseTo(1, 3);
    expect(great).toBeCloseTo(5, 3);
    // What the probability-difference measure gave here: all below 1e-5 for "fine".
    expect(1 / (1 + Math.exp(-16)) - 1 / (1 + Math.exp(-15))).toBeLessThan(1e-5);
    expect(pred.tokens.every((t) => Number.isFinite(t.weight))).toBe(true);
  });

  it('computes log-odds stably from logits, for more than two classes too', () => {
    const logits = tf.tensor2d([
      [0, 0, 0],
      [50, 0, 0],
      [1, 2, 3],
    ]);
    const lo = logOdds(logits).arraySync();
    const direct = (z: number[], c: number): number => {
      const p = z.map((x) => Math.exp(x) / z.reduce((a, y) => a + Math.exp(y), 0));
      return Math.log(p[c] / (1 - p[c]));
    };
    expect(lo[0][0]).toBeCloseTo(Math.log(0.5), 5);
    expect(lo[1][0]).toBeCloseTo(50 - Math.log(2), 4); // p would round to 1 in float32; the log-odds do not
    for (let c = 0; c < 3; c++) expect(lo[2][c]).toBeCloseTo(direct([1, 2, 3], c), 4);
    logits.dispose();
  });
});
