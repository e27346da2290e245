import { describe, expect, it } from 'vitest';
import { costCurve } from '../../../core/shapes/cost-curve';
import { chain, makeGraph, makeNode } from '../../builders';
import { BINDING, fakeRegistry } from './fake-catalog';

const attentionLm = () =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 8 }, 'in'),
      makeNode('Embedding', { dim: 16 }, 'emb'),
      makeNode('SelfAttention', { heads: 2 }, 'att'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'att', 'head'),
  );

describe('costCurve', () => {
  it('re-infers at each T: params stay, attention activations grow as T²', () => {
    const [a, b, c] = costCurve(attentionLm(), BINDING, [16, 32, 64], fakeRegistry);
    expect([a.seqLen, b.seqLen, c.seqLen]).toEqual([16, 32, 64]);
    expect(a.ok && b.ok && c.ok).toBe(true);
    expect(b.totals.params).toBe(a.totals.params);
    // emb: T·16, attention: 2·T² + 4·T·16.
    const act = (t: number) => t * 16 + 2 * t * t + 4 * t * 16;
    expect(a.totals.activations).toBe(act(16));
    expect(c.totals.activations).toBe(act(64));
    expect(c.totals.flopsPerToken).toBeGreaterThan(a.totals.flopsPerToken);
  });

  it('does not change the graph it is given', () => {
    const g = attentionLm();
    costCurve(g, BINDING, [128], fakeRegistry);
    expect(g.nodes[0].params.seqLen).toBe(8);
  });

  it('marks a T the TokenInput does not allow as not ok instead of clamping it', () => {
    const [p] = costCurve(attentionLm(), BINDING, [10_000], fakeRegistry);
    expect(p).toMatchObject({ seqLen: 10_000, ok: false });
  });

  it('marks every point not ok when the graph has no TokenInput', () => {
    const g = makeGraph([makeNode('NextTokenHead', {}, 'head')]);
    expect(costCurve(g, BINDING, [8, 16], fakeRegistry).map((p) => p.ok)).toEqual([false, false]);
  });
});
