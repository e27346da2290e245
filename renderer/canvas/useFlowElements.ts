import { useCallback, useMemo, useRef, useState } from 'react';
import type { EdgeChange, NodeChange, OnEdgesChange, OnNodesChange } from '@xyflow/react';
import { groupsOf } from '../../core/graph/groups';
import type { Edge, Graph, GraphNode, Group } from '../../core/graph/model';
import { useAppStore, useAppStoreApi } from '../store';
import type { XY } from '../store/types';
import type { CanvasFlowNode, LayerFlowNode, ShapeFlowEdge } from './flowTypes';
import { groupFlowNodes, hiddenBy, routeEdge } from './groupElements';

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

  const hidden = useMemo(() => hiddenBy(graph), [graph]);

  const nodes = useMemo((): CanvasFlowNode[] => {
    const selected = new Set(selectedNodeIds);
    const next = new Map<string, LayerFlowNode>();
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const list = graph.nodes.map((n) => {
      const node = flowNode(
        nodeCache.current.get(n.id),
        n,
        dragging?.[n.id] ?? n.position,
        selected.has(n.id),
        sizes.get(n.id),
        hidden.has(n.id),
      );
      next.set(n.id, node);
      return node;
    });
    nodeCache.current = next;
    const groups = groupFlowNodes(
      graph,
      (id) => dragging?.[id] ?? byId.get(id)?.position,
      (id) => sizes.get(id),
    ).map((g) => {
      const moved = dragging?.[g.id];
      const isSelected = g.data.members.every((id) => selected.has(id));
      // Controlled flow: React Flow shows a node once its measured size comes back in `measured`.
      const collapsed = g.data.collapsed ? { selected: isSelected, measured: sizes.get(g.id) } : {};
      return { ...g, ...(moved ? { position: moved } : {}), ...collapsed };
    });
    // Groups first, so open frames are drawn behind their blocks.
    return [...groups, ...list];
  }, [graph, hidden, selectedNodeIds, dragging, sizes]);

  const edges = useMemo(() => {
    const selected = new Set(selectedEdgeIds);
    const next = new Map<string, ShapeFlowEdge>();
    const list = graph.edges.flatMap((e) => {
      // A wire wholly inside a collapsed group is not drawn at all (it has no handles to end on).
      if (routeEdge(e, hidden).hidden) return [];
      const edge = flowEdge(edgeCache.current.get(e.id), e, selected.has(e.id), hidden);
      next.set(e.id, edge);
      return [edge];
    });
    edgeCache.current = next;
    return list;
  }, [graph.edges, selectedEdgeIds, hidden]);

  const onNodesChange: OnNodesChange<CanvasFlowNode> = useCallback(
    (changes: NodeChange<CanvasFlowNode>[]) => {
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
        store.getState().moveNodes(withGroupMoves(store.getState().graph, moved));
        setDragging(null);
      }
      if (select.size) {
        const s = store.getState();
        expandGroupSelect(s.graph, select);
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

/** A collapsed group dragged by `to`: every member moves by the same step (its box sits at their top-left). */
function withGroupMoves(graph: Graph, moved: Record<string, XY>): Record<string, XY> {
  const out: Record<string, XY> = {};
  const groups = new Map<string, Group>(groupsOf(graph).map((g) => [g.id, g]));
  for (const [id, to] of Object.entries(moved)) {
    const g = groups.get(id);
    if (!g) {
      out[id] = to;
      continue;
    }
    const members = graph.nodes.filter((n) => g.nodes.includes(n.id));
    const dx = to.x - Math.min(...members.map((n) => n.position.x));
    const dy = to.y - Math.min(...members.map((n) => n.position.y));
    for (const n of members) out[n.id] = { x: n.position.x + dx, y: n.position.y + dy };
  }
  return out;
}

/** Selecting a collapsed group selects its blocks (so delete, copy and the inspector act on them). */
function expandGroupSelect(graph: Graph, select: Map<string, boolean>): void {
  for (const g of groupsOf(graph)) {
    const on = select.get(g.id);
    if (on === undefined) continue;
    select.delete(g.id);
    for (const id of g.nodes) select.set(id, on);
  }
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
  size: Size | undefined,
  hidden: boolean,
): LayerFlowNode {
  if (
    prev &&
    prev.data.params === n.params &&
    prev.data.type === n.type &&
    prev.position === position &&
    prev.selected === selected &&
    prev.measured === size &&
    (prev.hidden ?? false) === hidden
  ) {
    return prev;
  }
  return {
    id: n.id,
    type: 'layer',
    position,
    data: { type: n.type, params: n.params },
    selected,
    measured: size,
    hidden,
  };
}

function flowEdge(
  prev: ShapeFlowEdge | undefined,
  e: Edge,
  selected: boolean,
  hidden: ReadonlyMap<string, Group>,
): ShapeFlowEdge {
  const r = routeEdge(e, hidden);
  if (
    prev &&
    prev.source === r.source &&
    prev.sourceHandle === r.sourceHandle &&
    prev.target === r.target &&
    prev.targetHandle === r.targetHandle &&
    prev.selected === selected &&
    (prev.hidden ?? false) === r.hidden &&
    prev.data?.from === e.from.node
  ) {
    return prev;
  }
  return { id: e.id, type: 'shape', ...r, selected, data: { from: e.from.node } };
}
