import { useCallback, useMemo, useRef, useState } from 'react';
import type { EdgeChange, NodeChange, OnEdgesChange, OnNodesChange } from '@xyflow/react';
import type { Edge, GraphNode } from '../../core/graph/model';
import { useAppStore, useAppStoreApi } from '../store';
import type { XY } from '../store/types';
import type { LayerFlowNode, ShapeFlowEdge } from './flowTypes';

type Size = { width: number; height: number };

/**
 * React Flow's nodes and edges derived from the store's graph and selection. Each flow object is reused
 * while its source is unchanged, so an edit re-renders only the nodes it touched. Measured sizes and the
 * positions of a drag in progress are view state and stay here; the drag becomes one graph edit at its end.
 */
export function useFlowElements() {
  const store = useAppStoreApi();
  const graph = useAppStore((s) => s.graph);
  const selectedNodeIds = useAppStore((s) => s.selectedNodeIds);
  const selectedEdgeIds = useAppStore((s) => s.selectedEdgeIds);
  const [dragging, setDragging] = useState<Record<string, XY> | null>(null);
  const [sizes, setSizes] = useState<ReadonlyMap<string, Size>>(() => new Map());
  const nodeCache = useRef(new Map<string, LayerFlowNode>());
  const edgeCache = useRef(new Map<string, ShapeFlowEdge>());

  const nodes = useMemo(() => {
    const selected = new Set(selectedNodeIds);
    const next = new Map<string, LayerFlowNode>();
    const list = graph.nodes.map((n) => {
      const node = flowNode(
        nodeCache.current.get(n.id),
        n,
        dragging?.[n.id] ?? n.position,
        selected.has(n.id),
        sizes.get(n.id),
      );
      next.set(n.id, node);
      return node;
    });
    nodeCache.current = next;
    return list;
  }, [graph.nodes, selectedNodeIds, dragging, sizes]);

  const edges = useMemo(() => {
    const selected = new Set(selectedEdgeIds);
    const next = new Map<string, ShapeFlowEdge>();
    const list = graph.edges.map((e) => {
      const edge = flowEdge(edgeCache.current.get(e.id), e, selected.has(e.id));
      next.set(e.id, edge);
      return edge;
    });
    edgeCache.current = next;
    return list;
  }, [graph.edges, selectedEdgeIds]);

  const onNodesChange: OnNodesChange<LayerFlowNode> = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      let measured: Map<string, Size> | null = null;
      let moving: Record<string, XY> | null = null;
      let moved: Record<string, XY> | null = null;
      const select = new Map<string, boolean>();
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) (measured ??= new Map()).set(c.id, c.dimensions);
        else if (c.type === 'position' && c.position) {
          // `dragging: false` ends a drag (or is an arrow-key nudge): that is the one undo step.
          if (c.dragging) (moving ??= {})[c.id] = c.position;
          else (moved ??= {})[c.id] = c.position;
        } else if (c.type === 'select') select.set(c.id, c.selected);
      }
      if (measured) setSizes((prev) => new Map([...prev, ...(measured ?? [])]));
      if (moving) setDragging((prev) => ({ ...prev, ...moving }));
      if (moved) {
        store.getState().moveNodes(moved);
        setDragging(null);
      }
      if (select.size) {
        const s = store.getState();
        s.setSelection(
          applySelect(
            s.graph.nodes.map((n) => n.id),
            s.selectedNodeIds,
            select,
          ),
          s.selectedEdgeIds,
        );
      }
    },
    [store],
  );

  const onEdgesChange: OnEdgesChange<ShapeFlowEdge> = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => {
      const select = new Map<string, boolean>();
      for (const c of changes) if (c.type === 'select') select.set(c.id, c.selected);
      if (!select.size) return;
      const s = store.getState();
      s.setSelection(
        s.selectedNodeIds,
        applySelect(
          s.graph.edges.map((e) => e.id),
          s.selectedEdgeIds,
          select,
        ),
      );
    },
    [store],
  );

  return { nodes, edges, onNodesChange, onEdgesChange };
}

/** The new selection in document order, after React Flow's select/deselect changes. */
function applySelect(order: string[], current: string[], changes: Map<string, boolean>): string[] {
  const now = new Set(current);
  for (const [id, on] of changes) {
    if (on) now.add(id);
    else now.delete(id);
  }
  return order.filter((id) => now.has(id));
}

function flowNode(
  prev: LayerFlowNode | undefined,
  n: GraphNode,
  position: XY,
  selected: boolean,
  size?: Size,
): LayerFlowNode {
  if (
    prev &&
    prev.data.params === n.params &&
    prev.data.type === n.type &&
    prev.position === position &&
    prev.selected === selected &&
    prev.measured === size
  ) {
    return prev;
  }
  return { id: n.id, type: 'layer', position, data: { type: n.type, params: n.params }, selected, measured: size };
}

function flowEdge(prev: ShapeFlowEdge | undefined, e: Edge, selected: boolean): ShapeFlowEdge {
  if (
    prev &&
    prev.source === e.from.node &&
    prev.sourceHandle === e.from.port &&
    prev.target === e.to.node &&
    prev.targetHandle === e.to.port &&
    prev.selected === selected
  ) {
    return prev;
  }
  return {
    id: e.id,
    type: 'shape',
    source: e.from.node,
    sourceHandle: e.from.port,
    target: e.to.node,
    targetHandle: e.to.port,
    selected,
  };
}
