import { useCallback, useEffect, useRef, useState, type DragEvent, type MouseEvent } from 'react';
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
import { canConnect } from '../../core/shapes/connect';
import type { PortRef } from '../../core/graph/model';
import { getNodeDef, NODE_DEFS } from '../../core/nodes/index';
import { bridges } from '../lib/quickConnect';
import { NODE_DRAG_MIME } from '../lib/categories';
import { useAppStore, useAppStoreApi } from '../store';
import type { CanvasFlowNode, ShapeFlowEdge } from './flowTypes';
import { GroupNode } from './GroupNode';
import { LayerNode } from './LayerNode';
import { NodeMenu, type NodeMenuState } from './NodeMenu';
import { GRID, inView, snap } from './placement';
import { useRefitOnResize } from './useRefitOnResize';
import { setCanvasPointer } from './pointer';
import { ShapeEdge } from './ShapeEdge';
import { useFlowElements } from './useFlowElements';

// Module scope, so React Flow never sees a new object (its error002).
const nodeTypes = { layer: LayerNode, wlgroup: GroupNode };
const edgeTypes = { shape: ShapeEdge };

/** Below this zoom, text is too small to read: hide it (and shadows) so big graphs pan and zoom smoothly. */
const LOW_DETAIL_ZOOM = 0.45;

/** Room around a fitted graph; the right side keeps clear of the minimap. */
const FIT_PADDING = { top: '32px', bottom: '32px', left: '56px', right: '190px' } as const;

const ends = (c: Connection | ShapeFlowEdge): { from: PortRef; to: PortRef } => ({
  from: { node: c.source, port: c.sourceHandle ?? 'out' },
  to: { node: c.target, port: c.targetHandle ?? '' },
});

/** True when a wire was let go over the empty pane (not a node, a handle, the minimap or the controls). */
const droppedOnPane = (e: globalThis.MouseEvent | TouchEvent): boolean => {
  const point = 'changedTouches' in e ? e.changedTouches[0] : e;
  const el = point ? document.elementFromPoint(point.clientX, point.clientY) : null;
  return el instanceof Element && el.classList.contains('react-flow__pane');
};

const minimapColor = (n: CanvasFlowNode): string => {
  if (n.type === 'wlgroup') return n.data.collapsed ? 'var(--accent)' : 'transparent';
  const def = getNodeDef(n.data.type);
  return def ? `var(--cat-${def.category})` : 'var(--error)';
};

/** The graph canvas: React Flow over the store's graph, with typed connections that say why they are refused. */
export function GraphCanvas() {
  const store = useAppStoreApi();
  const rf = useReactFlow<CanvasFlowNode, ShapeFlowEdge>();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<NodeMenuState | null>(null);
  const { nodes, edges, onNodesChange, onEdgesChange } = useFlowElements();
  const theme = useAppStore((s) => s.theme);
  const fitRequest = useAppStore((s) => s.fitRequest);
  const isLowDetail = useFlowStore((s) => s.transform[2] < LOW_DETAIL_ZOOM);
  const isFreezeMode = useAppStore((s) => s.isFreezeMode);

  // Fit only when asked (a document opened, layout, the Fit button). React Flow queues a fit asked for with no
  // nodes until the first node appears, which would move the view under the user's first drop: skip those.
  useEffect(() => {
    if (fitRequest > 0 && store.getState().graph.nodes.length > 0) {
      void rf.fitView({ padding: FIT_PADDING, maxZoom: 1.2, duration: 0 });
    }
  }, [fitRequest, rf, store]);
  useRefitOnResize(canvasRef, FIT_PADDING);

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

  /**
   * Dropped on empty canvas: quick add opens there, offering only blocks that fit the wire, and wires the choice
   * (ComfyUI's habit). Dropped on a handle that refused the edge: say why, in canConnect's words.
   */
  const onConnectEnd = useCallback(
    (e: globalThis.MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const { fromHandle, toHandle, isValid } = state;
      if (fromHandle && !toHandle && droppedOnPane(e)) {
        const point = 'changedTouches' in e ? e.changedTouches[0] : e;
        if (!point) return;
        const at = snap(rf.screenToFlowPosition({ x: point.clientX, y: point.clientY }));
        const port: PortRef = { node: fromHandle.nodeId, port: fromHandle.id ?? (fromHandle.type === 'source' ? 'out' : '') };
        store.getState().openQuickAdd(at, fromHandle.type === 'source' ? { from: port } : { to: port });
        return;
      }
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
      const from = { node: src.nodeId, port: src.id ?? 'out' };
      const to = { node: dst.nodeId, port: dst.id ?? '' };
      // Types that do not fit: offer the blocks that would bridge them (Mean pool, Last token…), one click each.
      const fixes = why ? bridges(s.graph, s.binding, NODE_DEFS, from, to).slice(0, 3) : [];
      const insert = (type: string, port: string): void => {
        const g = store.getState().graph;
        const a = g.nodes.find((n) => n.id === from.node)?.position;
        const b = g.nodes.find((n) => n.id === to.node)?.position;
        const mid = a && b ? snap({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 + 80 }) : { x: 0, y: 0 };
        const st = store.getState();
        const id = st.addNode(type, mid);
        const err = st.connect(from, { node: id, port }) ?? st.connect({ node: id, port: 'out' }, to);
        if (err) st.notify('error', err);
      };
      s.notify(
        'error',
        why ?? 'Connect an output (right side) to an input (left side).',
        fixes.map(({ def, port }) => ({ label: `Insert ${def.label}`, run: () => insert(def.type, port) })),
      );
    },
    [rf, store],
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
      // Kept inside the visible canvas: a block dropped at an edge must not hang under the inspector or the dock.
      const box = canvasRef.current?.getBoundingClientRect();
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const view = box
        ? {
            min: rf.screenToFlowPosition({ x: box.left, y: box.top }),
            max: rf.screenToFlowPosition({ x: box.right, y: box.bottom }),
          }
        : null;
      store.getState().addNode(type, snap(view ? inView(at, view) : at));
    },
    [rf, store],
  );

  /** Freeze mode (fine-tuning): a click on a block with weights freezes or thaws it (undoable). */
  const onNodeClick = useCallback(
    (_e: MouseEvent, node: CanvasFlowNode) => {
      const s = store.getState();
      if (!s.isFreezeMode || node.type !== 'layer') return;
      const params = s.analysis.nodes[node.id]?.cost?.params ?? 0;
      if (params > 0) s.toggleFrozen(node.id);
      else s.notify('info', `"${node.id}" has no weights of its own, so there is nothing to freeze.`);
    },
    [store],
  );

  const onNodeDoubleClick = useCallback(
    (_e: MouseEvent, node: CanvasFlowNode) => {
      if (node.type === 'layer' && getNodeDef(node.data.type)?.expand) store.getState().openLookInside(node.id);
    },
    [store],
  );

  const onNodeContextMenu = useCallback(
    (e: MouseEvent, node: CanvasFlowNode) => {
      const box = canvasRef.current?.getBoundingClientRect();
      if (!box || node.type !== 'layer') return;
      e.preventDefault();
      const s = store.getState();
      if (!s.selectedNodeIds.includes(node.id)) s.selectNode(node.id);
      setMenu({ nodeId: node.id, x: e.clientX - box.left, y: e.clientY - box.top });
    },
    [store],
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
    <div
      ref={canvasRef}
      className={`canvas${isLowDetail ? ' low-detail' : ''}${isFreezeMode ? ' freeze-mode' : ''}`}
      data-testid="canvas"
      onDoubleClick={onDoubleClick}
      onPointerMove={(e) => setCanvasPointer({ x: e.clientX, y: e.clientY })}
      onPointerLeave={() => setCanvasPointer(null)}
    >
      <ReactFlow<CanvasFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onNodeContextMenu}
        onPaneClick={() => setMenu(null)}
        onMoveStart={() => setMenu(null)}
        colorMode={theme}
        snapToGrid
        snapGrid={GRID}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID[0]} size={1.2} color="var(--grid)" />
        <MiniMap<CanvasFlowNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          style={{ width: 160, height: 100 }}
          data-testid="minimap"
        />
        <Controls showInteractive={false} />
      </ReactFlow>
      {menu && <NodeMenu menu={menu} onClose={() => setMenu(null)} />}
    </div>
  );
}
