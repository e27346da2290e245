import { describe, expect, it } from 'vitest';
import { chrfStats, corpusChrf } from '../../../core/eval/chrf';

// chrF, β = 2: per order n, P = matched / hyp n-grams, R = matched / ref n-grams, F = 5PR / (4P + R);
// the score is 100 × the mean F over the orders where both sides have n-grams (sacreBLEU's effective order).
// Orders where a side has none add ~1e-16 (sacreBLEU's eps) or 0, which vanishes at 9 digits.

describe('chrF', () => {
  it('is 100 for an identical pair', () => {
    // "ab" vs "ab": n=1: P=R=1, F=1; n=2: P=R=1, F=1; n=3..6: no n-grams, not counted. (1 + 1) / 2 × 100 = 100.
    expect(corpusChrf(['ab'], ['ab'])).toBeCloseTo(100, 9);
  });

  it('averages F over the orders both sides have: "abc" vs "abd"', () => {
    // n=1: {a,b,c} vs {a,b,d}: 2 matched of 3 and 3 → P=R=2/3 → F = 5·(4/9) / (4·2/3 + 2/3) = (20/9)/(10/3) = 2/3.
    // n=2: {ab,bc} vs {ab,bd}: 1 of 2 and 2 → P=R=1/2 → F = 1/2.
    // n=3: {abc} vs {abd}: 0 matched → F = 0, but both sides have a trigram, so n=3 counts.
    // (2/3 + 1/2 + 0) / 3 × 100 = (7/6) / 3 × 100 = 38.888…
    expect(corpusChrf(['abc'], ['abd'])).toBeCloseTo(3500 / 90, 9);
  });

  it('removes whitespace and weighs recall twice: "a b" vs "abab"', () => {
    // "a b" → "ab". n=1: hyp {a,b}, ref {a:2,b:2}: matched 2 → P = 2/2 = 1, R = 2/4 = 1/2 → F = 5·½ / (4 + ½) = 5/9.
    // n=2: hyp {ab}, ref {ab:2, ba:1}: matched 1 → P = 1, R = 1/3 → F = (5/3) / (13/3) = 5/13.
    // n=3, 4: only the reference has n-grams (R = 0): F = 0, not counted. (5/9 + 5/13) / 2 × 100 = 55/117 × 100.
    expect(chrfStats('a b', 'abab').hyp.slice(0, 3)).toEqual([2, 1, 0]);
    expect(corpusChrf(['a b'], ['abab'])).toBeCloseTo((55 / 117) * 100, 9);
  });

  it('sums statistics over the corpus before scoring (not the mean of sentence scores)', () => {
    // n=1: hyp 3+2 = 5, ref 3+4 = 7, matched 2+2 = 4 → P = 4/5, R = 4/7 → F = 5·(16/35) / (16/5 + 4/7) = 20/33.
    // n=2: hyp 2+1 = 3, ref 2+3 = 5, matched 1+1 = 2 → P = 2/3, R = 2/5 → F = (4/3) / (46/15) = 10/23.
    // n=3: hyp 1, ref 3, matched 0 → F = 0, counted. n=4: hyp 0 → not counted.
    // (20/33 + 10/23 + 0) / 3 × 100 = 790/2277 × 100 = 34.69…, not (38.89 + 47.01) / 2.
    expect(corpusChrf(['abc', 'a b'], ['abd', 'abab'])).toBeCloseTo((790 / 2277) * 100, 9);
  });

  it('is 0 for an empty answer, and matches sacreBLEU on its documented example', () => {
    expect(corpusChrf([''], ['abc'])).toBe(0);
    // sacreBLEU 2 via the Hugging Face chrF metric card: 84.64214891738334.
    const hyps = [
      'The relationship between cats and dogs is not exactly friendly.',
      'a good bookshop is just a genteel black hole that knows how to read.',
    ];
    const refs = [
      'The relationship between dogs and cats is not exactly friendly.',
      'A good bookshop is just a genteel Black Hole that knows how to read.',
    ];
    expect(corpusChrf(hyps, refs)).toBeCloseTo(84.64214891738334, 9);
  });
});
