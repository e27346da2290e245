import type { Binding } from '../nodes/define';
import { getNodeDef } from '../nodes/index';
import { defaultParams } from '../params/spec';
import { DEFAULT_BINDING, inferGraph } from '../shapes/infer';
import type { PortType } from '../shapes/shape';
import { edgeIds, freshEdgeId, freshId, idStem, nodeIds } from './ids';
import type { Edge, Graph, GraphNode, ParamValue, PortRef } from './model';
import { nodeLabel, type NodeRegistry } from './params';
import { describeType, describeTypes } from './validate';

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

/** Removes the nodes and every edge attached to them. */
export function removeNodes(graph: Graph, ids: readonly string[]): Graph {
  const gone = new Set(ids);
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node)),
  };
}

export function removeEdges(graph: Graph, ids: readonly string[]): Graph {
  const gone = new Set(ids);
  return { ...graph, edges: graph.edges.filter((e) => !gone.has(e.id)) };
}

/** Adds an edge `from` → `to`, or says in one sentence why it would be wrong (see `canConnect`). */
export function connect(
  graph: Graph,
  from: PortRef,
  to: PortRef,
  binding: Binding = DEFAULT_BINDING,
  registry: NodeRegistry = getNodeDef,
): { graph: Graph; edgeId: string } | { error: string } {
  const problem = canConnect(graph, from, to, binding, registry);
  if (problem) return { error: problem };
  const edgeId = freshEdgeId(edgeIds(graph));
  const edge: Edge = { id: edgeId, from: { ...from }, to: { ...to } };
  return { graph: { ...graph, edges: [...graph.edges, edge] }, edgeId };
}

/** Removes the edges from `from` to `to`. */
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

/**
 * Null when `from` → `to` may be added, else one sentence why not: unknown node or port, an input
 * that already has an edge, a self-loop, a cycle, or port types that do not match (inference tells
 * what `from` gives; when `from` has no shape yet, the type check waits for inference to report it).
 */
export function canConnect(
  graph: Graph,
  from: PortRef,
  to: PortRef,
  binding: Binding = DEFAULT_BINDING,
  registry: NodeRegistry = getNodeDef,
): string | null {
  const src = graph.nodes.find((n) => n.id === from.node);
  const dst = graph.nodes.find((n) => n.id === to.node);
  if (!src) return `There is no node "${from.node}".`;
  if (!dst) return `There is no node "${to.node}".`;
  const srcDef = registry(src.type);
  const dstDef = registry(dst.type);
  if (!srcDef) return `Node "${src.id}" has an unknown type "${src.type}".`;
  if (!dstDef) return `Node "${dst.id}" has an unknown type "${dst.type}".`;
  if (from.port !== 'out') return `${nodeLabel(src.type, src.id)}.${from.port} is not an output; connect from "out".`;
  const inputs = Object.keys(dstDef.inputs);
  if (!inputs.includes(to.port)) {
    const has = inputs.length ? `its inputs are ${inputs.join(', ')}` : 'it has no inputs';
    return `${nodeLabel(dst.type, dst.id)} has no input "${to.port}"; ${has}.`;
  }
  if (src.id === dst.id) return `${nodeLabel(dst.type, dst.id)} cannot feed itself.`;
  const taken = graph.edges.find((e) => e.to.node === to.node && e.to.port === to.port);
  if (taken)
    return `${nodeLabel(dst.type, dst.id)}.${to.port} already has an edge from "${taken.from.node}"; remove it first.`;
  if (reaches(graph, dst.id, src.id)) return `Connecting "${src.id}" to "${dst.id}" would make a cycle.`;
  const out = inferGraph(graph, binding, registry).nodes[src.id]?.out;
  const accepts: readonly PortType[] = dstDef.inputs[to.port];
  if (out && !accepts.includes(out.type)) {
    return `${nodeLabel(dst.type, dst.id)}.${to.port} takes ${describeTypes(accepts)}, but "${src.id}" gives ${describeType(out.type)}.`;
  }
  return null;
}

/** Is there a path of edges from `start` to `goal`? */
function reaches(graph: Graph, start: string, goal: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = next.get(e.from.node) ?? [];
    list.push(e.to.node);
    next.set(e.from.node, list);
  }
  const seen = new Set([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    if (queue[head] === goal) return true;
    for (const w of next.get(queue[head]) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return false;
}

const cloneNode = (n: GraphNode): GraphNode => ({ ...n, params: { ...n.params }, position: { ...n.position } });
const cloneEdge = (e: Edge): Edge => ({ id: e.id, from: { ...e.from }, to: { ...e.to } });
