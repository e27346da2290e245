import { memo } from 'react';
import type { Graph } from '../../core/graph/model';
import { getNodeDef } from '../../core/nodes/index';
import { categoryColor } from '../lib/categories';

const W = 200;
const H = 90;
const BOX_W = 180;
const BOX_H = 100;
const PAD = 8;

/** A thumbnail of a graph: its nodes as coloured boxes at their positions, its edges as lines. */
function TemplatePreviewView({ graph }: { graph: Graph }) {
  if (graph.nodes.length === 0) {
    return <svg className="template-preview" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" />;
  }
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX + BOX_W;
  const spanY = Math.max(...ys) - minY + BOX_H;
  const k = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const offX = (W - spanX * k) / 2;
  const offY = (H - spanY * k) / 2;
  const at = new Map(
    graph.nodes.map((n) => [n.id, { x: offX + (n.position.x - minX) * k, y: offY + (n.position.y - minY) * k }]),
  );
  const bw = BOX_W * k;
  const bh = BOX_H * k;
  return (
    <svg className="template-preview" viewBox={`0 0 ${W} ${H}`} aria-hidden="true">
      {graph.edges.map((e) => {
        const a = at.get(e.from.node);
        const b = at.get(e.to.node);
        if (!a || !b) return null;
        return <line key={e.id} x1={a.x + bw} y1={a.y + bh / 2} x2={b.x} y2={b.y + bh / 2} className="preview-edge" />;
      })}
      {graph.nodes.map((n) => {
        const p = at.get(n.id);
        const def = getNodeDef(n.type);
        if (!p) return null;
        return (
          <rect
            key={n.id}
            x={p.x}
            y={p.y}
            width={bw}
            height={bh}
            rx={Math.min(3, bh / 4)}
            fill={def ? categoryColor(def.category) : 'var(--error)'}
          />
        );
      })}
    </svg>
  );
}

export const TemplatePreview = memo(TemplatePreviewView);
