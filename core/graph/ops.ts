import { getNodeDef } from '../nodes/index';
import { defaultParams } from '../params/spec';
import { pruneGroups } from './groups';
import { edgeIds, freshEdgeId, freshId, idStem, nodeIds } from './ids';
import type { Edge, Graph, GraphNode, ParamValue, PortRef } from './model';
import type { NodeRegistry } from './params';

/**
 * Pure edit operations: each returns a NEW Graph and never mutates its argument, so the editor's
 * undo stack can keep old graphs as they are. Ids that are not in the graph are ignored.
 */

export interface Position {
  x: number;
  y: number;
}

/** Nodes and the edges among them, as copied to the clipboard. */
export interface Fragment {
  nodes: GraphNode[];
  edges: Edge[];
}

/** Appends a node of `type` with the def's default params (overridden by `params`) and a fresh id like "lstm_2". */
export function addNode(
  graph: Graph,
  type: string,
  position: Position,
  params: Record<string, ParamValue> = {},
  registry: NodeRegistry = getNodeDef,
): Graph {
  const def = registry(type);
  const node: GraphNode = {
    id: freshId(nodeIds(graph), idStem(type)),
    type,
    params: { ...(def ? defaultParams(def.params) : {}), ...params },
    position: { x: position.x, y: position.y },
  };
  if (def) node.typeVersion = def.version;
  return { ...graph, nodes: [...graph.nodes, node] };
}

/** Removes the nodes and every edge attached to them; they leave their groups. */
export function removeNodes(graph: Graph, ids: readonly string[]): Graph {
  const gone = new Set(ids);
  return pruneGroups({
    ...graph,
    nodes: graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node)),
  });
}

export function removeEdges(graph: Graph, ids: readonly string[]): Graph {
  const gone = new Set(ids);
  return { ...graph, edges: graph.edges.filter((e) => !gone.has(e.id)) };
}

export function disconnect(graph: Graph, from: PortRef, to: PortRef): Graph {
  const same = (a: PortRef, b: PortRef): boolean => a.node === b.node && a.port === b.port;
  return { ...graph, edges: graph.edges.filter((e) => !(same(e.from, from) && same(e.to, to))) };
}

/** Stores the value as given: an invalid value is flagged by inference, never clamped here. */
export function setParam(graph: Graph, nodeId: string, key: string, value: ParamValue): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [key]: value } } : n)),
  };
}

export function moveNodes(graph: Graph, positions: Readonly<Record<string, Position>>): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = Object.hasOwn(positions, n.id) ? positions[n.id] : undefined;
      return p ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

export function renameGraph(graph: Graph, name: string): Graph {
  return { ...graph, name };
}

/** The nodes `ids` and the edges between them (edges leaving the selection are not copied). */
export function copyFragment(graph: Graph, ids: readonly string[]): Fragment {
  const keep = new Set(ids);
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)).map(cloneNode),
    edges: graph.edges.filter((e) => keep.has(e.from.node) && keep.has(e.to.node)).map(cloneEdge),
  };
}

/**
 * The fragment as it would be pasted into `graph`: fresh node and edge ids, positions moved by
 * `offset`, internal edges remapped, edges to nodes outside the fragment dropped.
 */
export function remapFragment(graph: Graph, fragment: Fragment, offset: Position): Fragment {
  const usedNodes = nodeIds(graph);
  const usedEdges = edgeIds(graph);
  const rename = new Map<string, string>();
  const nodes = fragment.nodes.map((n) => {
    const id = freshId(usedNodes, idStem(n.type));
    rename.set(n.id, id);
    return { ...cloneNode(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edges: Edge[] = [];
  for (const e of fragment.edges) {
    const from = rename.get(e.from.node);
    const to = rename.get(e.to.node);
    if (from === undefined || to === undefined) continue;
    edges.push({
      id: freshEdgeId(usedEdges),
      from: { node: from, port: e.from.port },
      to: { node: to, port: e.to.port },
    });
  }
  return { nodes, edges };
}

/** Adds a copy of the fragment (see `remapFragment`); the pasted nodes come last in `nodes`. */
export function paste(graph: Graph, fragment: Fragment, offset: Position): Graph {
  const f = remapFragment(graph, fragment, offset);
  return { ...graph, nodes: [...graph.nodes, ...f.nodes], edges: [...graph.edges, ...f.edges] };
}

export function duplicate(graph: Graph, ids: readonly string[], offset: Position = { x: 40, y: 40 }): Graph {
  return paste(graph, copyFragment(graph, ids), offset);
}


const cloneNode = (n: GraphNode): GraphNode => ({ ...n, params: { ...n.params }, position: { ...n.position } });
const cloneEdge = (e: Edge): Edge => ({ id: e.id, from: { ...e.from }, to: { ...e.to } });
