import { describe, expect, it } from 'vitest';
import { topoSort } from '../../../core/graph/topo';
import { makeGraph, makeNode, type EdgeSpec } from '../../builders';

const sort = (ids: string[], edges: EdgeSpec[]) =>
  topoSort(
    ids,
    makeGraph(
      ids.map((id) => makeNode('X', {}, id)),
      edges,
    ).edges,
  );

describe('topoSort', () => {
  it('puts every node after the nodes feeding it, ties in the given order', () => {
    const { order, cycles } = sort(
      ['d', 'c', 'b', 'a'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
        ['c', 'd'],
      ],
    );
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(cycles).toEqual([]);
    expect(sort(['x', 'y', 'z'], []).order).toEqual(['x', 'y', 'z']);
  });

  it('returns the ids on a cycle, walked along its edges', () => {
    const { order, cycles } = sort(
      ['in', 'a', 'b', 'c', 'out'],
      [
        ['in', 'a'],
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'out'],
      ],
    );
    expect(cycles).toEqual([['a', 'b', 'c']]);
    // The cycle and what hangs below it have no order; what is above it does.
    expect(order).toEqual(['in']);
  });

  it('finds a self-loop and separate cycles, but not nodes merely downstream of them', () => {
    const { cycles } = sort(
      ['s', 'p', 'q', 'r', 't'],
      [
        ['s', 's'],
        ['p', 'q'],
        ['q', 'p'],
        ['q', 'r'],
        ['s', 't'],
      ],
    );
    expect(cycles).toEqual([['s'], ['p', 'q']]);
  });

  it('ignores edges to ids it was not given', () => {
    expect(
      sort(
        ['a'],
        [
          ['a', 'ghost'],
          ['ghost', 'a'],
        ],
      ).order,
    ).toEqual(['a']);
  });
});
