import dagre from '@dagrejs/dagre';
import type { Graph } from '../../core/graph/model';
import { moveNodes } from '../../core/graph/ops';
import type { XY } from '../store/types';
import { snap } from './placement';

type Size = { width: number; height: number };

/** Used for nodes not measured yet (and in tests): about the size of a canvas node. */
const DEFAULT_SIZE: Size = { width: 184, height: 110 };
/** Gap between columns: room for an edge's shape label such as "[64, 128]". */
const RANK_GAP = 96;
const NODE_GAP = 40;
/** Vertical gap between wrapped bands of columns. */
const BAND_GAP = 90;
/** Up to this many columns stay on one line; longer graphs wrap into bands, like lines of text. */
const MAX_UNWRAPPED = 5;
/** Wrapped layouts aim for about the shape of the canvas (wider than tall). */
const TARGET_ASPECT = 1.6;

/**
 * Left-to-right layered layout (dagre): inputs on the left, heads on the right, few edge crossings. Long
 * graphs wrap into bands of at most MAX_COLUMNS layers. Returns top-left positions snapped to the grid;
 * the store applies them as one undo step.
 */
export function layoutGraph(graph: Graph, sizeOf: (id: string) => Size | undefined = () => undefined): Record<string, XY> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, ranksep: RANK_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { ...(sizeOf(n.id) ?? DEFAULT_SIZE) });
  for (const e of graph.edges) if (g.hasNode(e.from.node) && g.hasNode(e.to.node)) g.setEdge(e.from.node, e.to.node);
  dagre.layout(g);
  // dagre gives centres; React Flow positions are top-left corners.
  const boxes = graph.nodes.map((n) => {
    const p = g.node(n.id);
    return { id: n.id, x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height };
  });
  return wrapColumns(boxes);
}

/** Cuts the columns (distinct x) into bands of equal count, each band starting at the left below the last. */
function wrapColumns(boxes: { id: string; x: number; y: number; width: number; height: number }[]): Record<string, XY> {
  const columns = [...new Set(boxes.map((b) => b.x))].sort((a, b) => a - b);
  const top = Math.min(...boxes.map((b) => b.y));
  const height = Math.max(...boxes.map((b) => b.y + b.height)) - top;
  const columnWidth = Math.max(...boxes.map((b) => b.width)) + RANK_GAP;
  const perBand = columnsPerBand(columns.length, columnWidth, height + BAND_GAP);
  const bandOf = (x: number): number => Math.floor(columns.indexOf(x) / perBand);
  const out: Record<string, XY> = {};
  for (const b of boxes) {
    const band = bandOf(b.x);
    const left = columns[band * perBand];
    out[b.id] = snap({ x: b.x - left, y: b.y - top + band * (height + BAND_GAP) });
  }
  return out;
}

/** How many columns per band bring the whole layout closest to TARGET_ASPECT. */
function columnsPerBand(columns: number, columnWidth: number, bandHeight: number): number {
  if (columns <= MAX_UNWRAPPED) return Math.max(columns, 1);
  let best = columns;
  let bestScore = Infinity;
  for (let per = 2; per <= columns; per++) {
    const aspect = (per * columnWidth) / (Math.ceil(columns / per) * bandHeight);
    const score = Math.abs(Math.log(aspect / TARGET_ASPECT));
    if (score < bestScore) [best, bestScore] = [per, score];
  }
  return best;
}

/** The graph with every node placed by `layoutGraph`: how templates open, sized for this editor's blocks. */
export function laidOut(graph: Graph, sizeOf?: (id: string) => Size | undefined): Graph {
  return moveNodes(graph, layoutGraph(graph, sizeOf));
}
