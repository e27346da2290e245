import type { Graph } from '../../core/graph/model';
import type { XY } from '../store/types';

/** Snap grid of the canvas, in flow units. */
export const GRID: [number, number] = [20, 20];
/** Horizontal step between nodes placed one after another. */
export const NODE_STEP_X = 240;

export const snap = (p: XY): XY => ({ x: Math.round(p.x / GRID[0]) * GRID[0], y: Math.round(p.y / GRID[1]) * GRID[1] });

/** A spot to the right of the right-most node, for nodes added without a drop position. */
export function freePosition(graph: Graph): XY {
  if (graph.nodes.length === 0) return { x: 0, y: 0 };
  const right = graph.nodes.reduce((a, n) => (n.position.x > a.position.x ? n : a));
  return snap({ x: right.position.x + NODE_STEP_X, y: right.position.y });
}

/** A block's size on the canvas before it is measured, in flow units (.layer-node is 184 wide). */
export const BLOCK_SIZE = { width: 184, height: 120 };

/**
 * Where a block dropped at `at` (its top-left) lands so that all of it shows in the visible flow rectangle
 * `view`: pulled left and up from the right and bottom edges (the inspector and the dock sit there).
 */
export function inView(at: XY, view: { min: XY; max: XY }, size = BLOCK_SIZE, margin = GRID[0]): XY {
  const maxX = view.max.x - size.width - margin;
  const maxY = view.max.y - size.height - margin;
  return {
    x: Math.max(Math.min(at.x, maxX), Math.min(view.min.x + margin, maxX)),
    y: Math.max(Math.min(at.y, maxY), Math.min(view.min.y + margin, maxY)),
  };
}
