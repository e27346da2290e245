/**
 * The graph as a standalone SVG (for READMEs, papers, the export folder): one box per node with its
 * type, id and output shape, arrows along the edges, placed where the canvas placed the nodes (the
 * canvas lays graphs out left to right). PNG: core has no canvas, so the CLI writes SVG only; the
 * app rasterises this SVG with an <img> and a <canvas> in the renderer.
 */
import type { Graph, GraphNode } from '../graph/model';
import { getNodeDef } from '../nodes/index';
import type { Category } from '../nodes/define';
import type { GraphAnalysis } from '../shapes/analysis';

const BOX_W = 168;
const BOX_H = 64;
const MARGIN = 24;

const FILL: Record<Category, string> = {
  input: '#e8f0fe',
  embedding: '#e6f4ea',
  'bag-of-words': '#e6f4ea',
  recurrent: '#fef7e0',
  attention: '#fce8e6',
  transformer: '#f3e8fd',
  layers: '#f1f3f4',
  heads: '#e4f7fb',
};

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Long ids and types are cut so the text stays inside its box. */
const fit = (s: string, max = 22): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function shapeText(id: string, analysis: GraphAnalysis | undefined): string | undefined {
  const out = analysis?.nodes[id]?.out;
  return out ? `${out.type} [${out.shape.join(', ')}]` : undefined;
}

/** Node positions; a graph whose nodes all sit on one spot (never laid out) is spread left to right. */
function positions(nodes: readonly GraphNode[]): Map<string, { x: number; y: number }> {
  const first = nodes[0]?.position;
  const stacked = nodes.length > 1 && nodes.every((n) => n.position.x === first.x && n.position.y === first.y);
  return new Map(nodes.map((n, i) => [n.id, stacked ? { x: i * (BOX_W + 48), y: 0 } : n.position]));
}

function nodeBox(n: GraphNode, p: { x: number; y: number }, analysis: GraphAnalysis | undefined): string {
  const category = getNodeDef(n.type)?.category;
  const fill = category ? FILL[category] : '#ffffff';
  const shape = shapeText(n.id, analysis);
  const cx = p.x + BOX_W / 2;
  const lines = [
    `<text x="${cx}" y="${p.y + 22}" font-weight="600">${escapeXml(fit(n.type))}</text>`,
    `<text x="${cx}" y="${p.y + 39}" fill="#5f6368">${escapeXml(fit(n.id))}</text>`,
    shape ? `<text x="${cx}" y="${p.y + 55}" fill="#1a73e8">${escapeXml(fit(shape, 26))}</text>` : '',
  ];
  return [
    `<g class="node" data-id="${escapeXml(n.id)}">`,
    `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="8" fill="${fill}" stroke="#5f6368"/>`,
    ...lines.filter(Boolean),
    '</g>',
  ].join('');
}

/** `graph` as SVG text; `analysis` (inferGraph's result) adds each node's output shape. */
export function graphSvg(graph: Graph, analysis?: GraphAnalysis): string {
  const pos = positions(graph.nodes);
  const all = [...pos.values()];
  const minX = Math.min(0, ...all.map((p) => p.x)) - MARGIN;
  const minY = Math.min(0, ...all.map((p) => p.y)) - MARGIN;
  const width = Math.max(BOX_W, ...all.map((p) => p.x + BOX_W)) - minX + MARGIN;
  const height = Math.max(BOX_H, ...all.map((p) => p.y + BOX_H)) - minY + MARGIN;
  const edges = graph.edges.flatMap((e) => {
    const a = pos.get(e.from.node);
    const b = pos.get(e.to.node);
    if (!a || !b) return [];
    const [x1, y1, x2, y2] = [a.x + BOX_W, a.y + BOX_H / 2, b.x, b.y + BOX_H / 2];
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    const label =
      e.to.port === 'in'
        ? ''
        : `<text x="${x2 - 6}" y="${y2 - 6}" text-anchor="end" fill="#5f6368">${escapeXml(e.to.port)}</text>`;
    return [
      `<path d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" fill="none" stroke="#5f6368" stroke-width="1.5" marker-end="url(#arrow)"/>${label}`,
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" text-anchor="middle">`,
    `<title>${escapeXml(graph.name)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker></defs>',
    `<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...edges,
    ...graph.nodes.map((n) => nodeBox(n, pos.get(n.id) ?? n.position, analysis)),
    '</svg>',
    '',
  ].join('\n');
}
