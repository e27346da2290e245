import type { Binding } from '../nodes/define';
import { getNodeDef } from '../nodes/index';
import type { PortType } from '../nodes/shape';
import { edgeIds, freshEdgeId } from '../graph/ids';
import type { Edge, Graph, PortRef } from '../graph/model';
import { nodeLabel, type NodeRegistry } from '../graph/params';
import { describeType, describeTypes } from '../graph/validate';
import { DEFAULT_BINDING, inferGraph } from './infer';

/**
 * Adding an edge, checked: the port types must match what shape inference says the source gives, so these
 * edits live above inference (core/graph's pure edits do not need it).
 */

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
