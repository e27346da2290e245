import { useMemo, useRef } from 'react';
import { expandNode, type Expansion } from '../../core/shapes/expand';
import type { Graph } from '../../core/graph/model';
import type { Binding } from '../../core/nodes/define';
import { getNodeDef } from '../../core/nodes/index';
import { inferGraph } from '../../core/shapes/infer';
import { categoryColor } from '../lib/categories';
import { formatCount, formatShape } from '../lib/format';
import { useAppStore } from '../store';
import { useDialogFocus } from './useDialogFocus';

/** One row of the drawing: the block's input, each primitive, then the block's output. */
interface Row {
  id: string;
  label: string;
  detail: string;
  color: string;
  params?: number;
}

/** A wire of the drawing, between rows, with the shape flowing on it. */
interface Wire {
  from: number;
  to: number;
  port: string;
  shape: string;
}

const ROW = 56;
const BOX = { width: 270, height: 36 };
const ARC_X = BOX.width + 36;

/** The block's inside: rows and wires from its expansion, shapes by inference on the expanded graph. */
function inside(
  graph: Graph,
  nodeId: string,
  binding: Binding,
): { rows: Row[]; wires: Wire[]; total: number } | { error: string } {
  const x = expandNode(graph, nodeId, binding);
  if ('error' in x) return x;
  const analysis = inferGraph(x.graph, binding);
  const inner = Object.values(x.ids);
  const shapeOf = (id: string): string => {
    const out = analysis.nodes[id]?.out;
    return out ? formatShape(out.shape) : '?';
  };
  const rows: Row[] = [
    { id: 'in', label: 'in', detail: 'the block’s input', color: 'var(--border)' },
    ...inner.map((id) => rowOf(x, id, analysis.nodes[id]?.cost?.params)),
    { id: 'out', label: 'out', detail: 'the block’s output', color: 'var(--border)' },
  ];
  const rowOfId = (id: string): number => {
    const k = inner.indexOf(id);
    return k < 0 ? 0 : k + 1; // a source outside the block is its input
  };
  const wires: Wire[] = x.graph.edges
    .filter((e) => inner.includes(e.to.node))
    .map((e) => ({ from: rowOfId(e.from.node), to: rowOfId(e.to.node), port: e.to.port, shape: shapeOf(e.from.node) }));
  const last = x.output;
  wires.push({ from: rowOfId(last), to: rows.length - 1, port: '', shape: shapeOf(last) });
  const total = inner.reduce((t, id) => t + (analysis.nodes[id]?.cost?.params ?? 0), 0);
  return { rows, wires, total };
}

function rowOf(x: Expansion, id: string, params: number | undefined): Row {
  const node = x.graph.nodes.find((n) => n.id === id);
  const def = node ? getNodeDef(node.type) : undefined;
  const detail = node
    ? Object.entries(node.params)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(' · ')
    : '';
  return {
    id,
    label: def?.label ?? node?.type ?? id,
    detail,
    color: def ? categoryColor(def.category) : 'var(--error)',
    params,
  };
}

/** The path of a wire: straight down to the next row, else an arc on the right (a residual). */
function wirePath(w: Wire, lane: number): { d: string; lx: number; ly: number } {
  const y1 = w.from * ROW + BOX.height;
  const y2 = w.to * ROW;
  if (w.to === w.from + 1)
    return { d: `M ${BOX.width / 2} ${y1} L ${BOX.width / 2} ${y2}`, lx: BOX.width / 2 + 8, ly: (y1 + y2) / 2 + 4 };
  const sy = w.from * ROW + BOX.height / 2;
  const ty = w.to * ROW + BOX.height / 2;
  const cx = ARC_X + lane * 34;
  return {
    d: `M ${BOX.width} ${sy} C ${cx} ${sy}, ${cx} ${ty}, ${BOX.width} ${ty}`,
    lx: cx - 8,
    ly: (sy + ty) / 2 + 4,
  };
}

/**
 * "Look inside" a composite block: the primitives it is, top to bottom as it computes, with the shape on
 * every wire and residuals drawn as arcs; "Expand into blocks" replaces it on the canvas (one undo step).
 */
export function LookInside() {
  const nodeId = useAppStore((s) => s.lookInside);
  return nodeId ? <LookInsideDialog nodeId={nodeId} /> : null;
}

function LookInsideDialog({ nodeId }: { nodeId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const graph = useAppStore((s) => s.graph);
  const binding = useAppStore((s) => s.binding);
  const close = useAppStore((s) => s.closeLookInside);
  const expand = useAppStore((s) => s.expandBlock);
  const notify = useAppStore((s) => s.notify);
  const blockParams = useAppStore((s) => s.analysis.nodes[nodeId]?.cost?.params);
  const type = graph.nodes.find((n) => n.id === nodeId)?.type ?? '';
  const view = useMemo(() => inside(graph, nodeId, binding), [graph, nodeId, binding]);
  useDialogFocus(ref, close);
  const label = getNodeDef(type)?.label ?? type;
  const onExpand = (): void => {
    const why = expand(nodeId);
    if (why) notify('error', why);
    close();
  };
  let lanes = 0;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={ref}
        className="modal look-inside"
        role="dialog"
        aria-modal="true"
        aria-labelledby="look-inside-title"
        tabIndex={-1}
        data-testid="look-inside"
      >
        <h2 id="look-inside-title">
          Inside {label} <code>{nodeId}</code>
        </h2>
        {'error' in view ? (
          <p className="field-error">{view.error}</p>
        ) : (
          <>
            <p className="muted small" data-testid="look-inside-total">
              {view.rows.length - 2} blocks · {formatCount(view.total)} parameters
              {blockParams !== undefined && view.total === blockParams ? ', the same as the block' : ''}
            </p>
            <div className="look-inside-drawing" style={{ height: view.rows.length * ROW - (ROW - BOX.height) }}>
              <svg className="look-inside-wires" width={ARC_X + 160} height={view.rows.length * ROW}>
                {view.wires.map((w) => {
                  const lane = w.to === w.from + 1 ? 0 : lanes++;
                  const p = wirePath(w, lane);
                  return (
                    <g key={`${w.from}-${w.to}-${w.port}`}>
                      <path d={p.d} className="look-inside-wire" markerEnd="url(#look-inside-arrow)" />
                      <text x={p.lx} y={p.ly} className="look-inside-shape" data-testid="look-inside-shape">
                        {w.shape}
                      </text>
                    </g>
                  );
                })}
                <defs>
                  <marker
                    id="look-inside-arrow"
                    viewBox="0 0 8 8"
                    refX="7"
                    refY="4"
                    markerWidth="7"
                    markerHeight="7"
                    orient="auto"
                  >
                    <path d="M 0 0 L 8 4 L 0 8 z" className="look-inside-arrowhead" />
                  </marker>
                </defs>
              </svg>
              {view.rows.map((r, i) => (
                <div
                  key={r.id}
                  className={`look-inside-box${i === 0 || i === view.rows.length - 1 ? ' port' : ''}`}
                  style={{ top: i * ROW, width: BOX.width, height: BOX.height, borderLeftColor: r.color }}
                  data-testid={`inside-${r.id}`}
                >
                  <strong>{r.label}</strong>
                  <span className="muted small">
                    {[r.detail, r.params ? `${formatCount(r.params)} params` : ''].filter(Boolean).join(' · ')}
                  </span>
                </div>
              ))}
            </div>
          </>
        )}
        <div className="modal-actions">
          <button type="button" onClick={close}>
            Close
          </button>
          {!('error' in view) && (
            <button
              type="button"
              className="primary"
              onClick={onExpand}
              data-autofocus
              data-testid="look-inside-expand"
            >
              Expand into blocks
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
