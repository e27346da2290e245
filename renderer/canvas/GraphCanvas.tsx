import { useCallback, useEffect, type DragEvent, type MouseEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type FinalConnectionState,
  type IsValidConnection,
} from '@xyflow/react';
import { canConnect } from '../../core/graph/ops';
import type { PortRef } from '../../core/graph/model';
import { getNodeDef } from '../../core/nodes/index';
import { NODE_DRAG_MIME } from '../lib/categories';
import { useAppStore, useAppStoreApi } from '../store';
import type { LayerFlowNode, ShapeFlowEdge } from './flowTypes';
import { LayerNode } from './LayerNode';
import { GRID, snap } from './placement';
import { ShapeEdge } from './ShapeEdge';
import { useFlowElements } from './useFlowElements';

// Module scope, so React Flow never sees a new object (its error002).
const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };

/** Below this zoom, text is too small to read: hide it (and shadows) so big graphs pan and zoom smoothly. */
const LOW_DETAIL_ZOOM = 0.45;

/** Room around a fitted graph; the right side keeps clear of the minimap. */
const FIT_PADDING = { top: '32px', bottom: '32px', left: '56px', right: '190px' } as const;

const ends = (c: Connection | ShapeFlowEdge): { from: PortRef; to: PortRef } => ({
  from: { node: c.source, port: c.sourceHandle ?? 'out' },
  to: { node: c.target, port: c.targetHandle ?? '' },
});

const minimapColor = (n: LayerFlowNode): string => {
  const def = getNodeDef(n.data.type);
  return def ? `var(--cat-${def.category})` : 'var(--error)';
};

/** The graph canvas: React Flow over the store's graph, with typed connections that say why they are refused. */
export function GraphCanvas() {
  const store = useAppStoreApi();
  const rf = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const { nodes, edges, onNodesChange, onEdgesChange } = useFlowElements();
  const theme = useAppStore((s) => s.theme);
  const fitRequest = useAppStore((s) => s.fitRequest);
  const isLowDetail = useFlowStore((s) => s.transform[2] < LOW_DETAIL_ZOOM);

  // Fit only when asked (a document opened, layout, the Fit button). React Flow queues a fit asked for with no
  // nodes until the first node appears, which would move the view under the user's first drop: skip those.
  useEffect(() => {
    if (fitRequest > 0 && store.getState().graph.nodes.length > 0) {
      void rf.fitView({ padding: FIT_PADDING, maxZoom: 1.2, duration: 0 });
    }
  }, [fitRequest, rf, store]);

  const isValidConnection: IsValidConnection<ShapeFlowEdge> = useCallback(
    (c) => {
      const { from, to } = ends(c);
      const s = store.getState();
      return canConnect(s.graph, from, to, s.binding) === null;
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const { from, to } = ends(c);
      const why = store.getState().connect(from, to);
      if (why) store.getState().notify('error', why);
    },
    [store],
  );

  /** Dropped on a handle that refused the edge: say why, in canConnect's words. */
  const onConnectEnd = useCallback(
    (_e: globalThis.MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const { fromHandle, toHandle, isValid } = state;
      if (isValid || !fromHandle || !toHandle) return;
      const [src, dst] = fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
      if (src.nodeId === dst.nodeId && src.id === dst.id) return;
      const s = store.getState();
      const why = canConnect(
        s.graph,
        { node: src.nodeId, port: src.id ?? 'out' },
        { node: dst.nodeId, port: dst.id ?? '' },
        s.binding,
      );
      s.notify('error', why ?? 'Connect an output (right side) to an input (left side).');
    },
    [store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(NODE_DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(NODE_DRAG_MIME);
      if (!type) return;
      e.preventDefault();
      store.getState().addNode(type, snap(rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })));
    },
    [rf, store],
  );

  /** Double-click on empty canvas opens quick add at that spot. */
  const onDoubleClick = useCallback(
    (e: MouseEvent) => {
      if (!(e.target instanceof Element) || !e.target.classList.contains('react-flow__pane')) return;
      store.getState().openQuickAdd(snap(rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })));
    },
    [rf, store],
  );

  return (
    <div className={`canvas${isLowDetail ? ' low-detail' : ''}`} data-testid="canvas" onDoubleClick={onDoubleClick}>
      <ReactFlow<LayerFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDragOver={onDragOver}
        onDrop={onDrop}
        colorMode={theme}
        snapToGrid
        snapGrid={GRID}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID[0]} size={1.2} color="var(--grid)" />
        <MiniMap<LayerFlowNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          style={{ width: 160, height: 100 }}
          data-testid="minimap"
        />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
