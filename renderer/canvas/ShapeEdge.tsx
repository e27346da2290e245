import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatShape } from '../lib/format';
import { useAppStore } from '../store';
import type { ShapeFlowEdge } from './flowTypes';

/** An edge labelled with the shape flowing on it (the source node's output, e.g. "[64, 128]"). */
function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const shape = useAppStore((s) => {
    const out = data ? s.analysis.nodes[data.from]?.out : undefined;
    return out ? formatShape(out.shape) : '';
  });
  const isBad = useAppStore((s) => s.analysis.diagnostics.some((d) => d.edgeId === id));
  return (
    <>
      <BaseEdge id={id} path={path} className={`shape-edge${selected ? ' selected' : ''}${isBad ? ' bad' : ''}`} />
      {shape && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${isBad ? ' bad' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
          >
            {shape}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
