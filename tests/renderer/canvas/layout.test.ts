import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../core/graph/model';
import { inferGraph } from '../../../core/shapes/infer';
import { laidOut, layoutGraph } from '../../../renderer/canvas/layout';
import { GRID } from '../../../renderer/canvas/placement';
import { TEMPLATES } from '../../../renderer/lib/templates';

const chain = (n: number): Graph => ({
  format: 'wordloom-graph',
  version: 1,
  name: 'chain',
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'Dense', params: {}, position: { x: 0, y: 0 } })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({
    id: `e${i}`,
    from: { node: `n${i}`, port: 'out' },
    to: { node: `n${i + 1}`, port: 'in' },
  })),
});

describe('auto-layout', () => {
  it('puts each node right of the nodes that feed it, on the snap grid, without overlaps', () => {
    const at = layoutGraph(chain(5));
    for (let i = 1; i < 5; i++) expect(at[`n${i}`].x).toBeGreaterThan(at[`n${i - 1}`].x + 184);
    for (const p of Object.values(at)) {
      expect(p.x % GRID[0]).toBe(0);
      expect(p.y % GRID[1]).toBe(0);
    }
  });

  it('wraps a long stack into bands, each read left to right, so it stays readable', () => {
    const at = layoutGraph(chain(9));
    const rows = [...new Set(Object.values(at).map((p) => p.y))].sort((a, b) => a - b);
    expect(rows.length).toBeGreaterThan(1);
    const ids = Object.keys(at);
    for (const y of rows) {
      const row = ids.filter((id) => at[id].y === y).map((id) => Number(id.slice(1)));
      expect(row.length).toBeLessThanOrEqual(5);
      expect(Math.min(...row.map((i) => at[`n${i}`].x))).toBe(0);
      // consecutive ids within a band, left to right
      for (let k = 1; k < row.length; k++) expect(at[`n${row[k]}`].x).toBeGreaterThan(at[`n${row[k - 1]}`].x);
    }
  });

  it('keeps a short chain on one line', () => {
    const at = layoutGraph(chain(4));
    expect(new Set(Object.values(at).map((p) => p.y)).size).toBe(1);
  });

  it('changes positions only: a laid-out template analyses exactly as the file does', () => {
    const binding = { vocabSize: 67, numClasses: 2 };
    for (const t of TEMPLATES) {
      const moved = laidOut(t.graph);
      expect(moved.edges).toEqual(t.graph.edges);
      const withoutPosition = (g: Graph): unknown[] => g.nodes.map((n) => ({ ...n, position: null }));
      expect(withoutPosition(moved)).toEqual(withoutPosition(t.graph));
      expect(inferGraph(moved, binding)).toEqual(inferGraph(t.graph, binding));
    }
  });
});
