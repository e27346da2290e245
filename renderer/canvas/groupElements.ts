import type { Edge, Graph, Group } from '../../core/graph/model';
import { groupBorder, groupsOf } from '../../core/graph/groups';
import type { XY } from '../store/types';
import type { GroupFlowNode } from './flowTypes';

type Size = { width: number; height: number };

/** A block's size before React Flow has measured it (the .layer-node width and a typical height). */
const DEFAULT_SIZE: Size = { width: 184, height: 110 };
/** Room around the blocks inside an open group's frame; the top leaves space for its title bar. */
const PAD = { x: 18, top: 44, bottom: 18 };

export const inHandle = (e: Edge): string => `in:${e.to.node}.${e.to.port}`;
export const outHandle = (e: Edge): string => `out:${e.from.node}`;

/** Which collapsed group hides each node. */
export function hiddenBy(graph: Graph): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const g of groupsOf(graph)) if (g.collapsed) for (const id of g.nodes) out.set(id, g);
  return out;
}

/** The flow nodes standing for groups: open ones as frames behind their blocks, collapsed ones as one box. */
export function groupFlowNodes(
  graph: Graph,
  positionOf: (id: string) => XY | undefined,
  sizeOf: (id: string) => Size | undefined,
): GroupFlowNode[] {
  return groupsOf(graph).flatMap((g) => {
    const boxes = g.nodes.flatMap((id) => {
      const p = positionOf(id);
      return p ? [{ ...p, ...(sizeOf(id) ?? DEFAULT_SIZE) }] : [];
    });
    if (!boxes.length) return [];
    const minX = Math.min(...boxes.map((b) => b.x));
    const minY = Math.min(...boxes.map((b) => b.y));
    const maxX = Math.max(...boxes.map((b) => b.x + b.width));
    const maxY = Math.max(...boxes.map((b) => b.y + b.height));
    const border = groupBorder(graph, g);
    const data = {
      groupId: g.id,
      name: g.name,
      collapsed: g.collapsed,
      members: g.nodes,
      inputs: border.inputs.map(inHandle),
      outputs: [...new Set(border.outputs.map(outHandle))],
    };
    const node: GroupFlowNode = g.collapsed
      ? { id: g.id, type: 'wlgroup', position: { x: minX, y: minY }, data }
      : {
          // Its own id: the collapsed box mounts afresh, so React Flow measures it and its ports.
          id: `frame:${g.id}`,
          type: 'wlgroup',
          position: { x: minX - PAD.x, y: minY - PAD.top },
          width: maxX - minX + 2 * PAD.x,
          height: maxY - minY + PAD.top + PAD.bottom,
          data,
          zIndex: -1,
          draggable: false,
          selectable: false,
        };
    return [node];
  });
}

/** How a graph edge is drawn: re-routed to a collapsed group's handles, or hidden when wholly inside one. */
export function routeEdge(
  e: Edge,
  hidden: ReadonlyMap<string, Group>,
): { source: string; sourceHandle: string; target: string; targetHandle: string; hidden: boolean } {
  const src = hidden.get(e.from.node);
  const dst = hidden.get(e.to.node);
  return {
    source: src ? src.id : e.from.node,
    sourceHandle: src ? outHandle(e) : e.from.port,
    target: dst ? dst.id : e.to.node,
    targetHandle: dst ? inHandle(e) : e.to.port,
    hidden: src !== undefined && src === dst,
  };
}
