import type { Binding } from '../nodes/define';
import type { Composite } from '../nodes/composite';
import { getNodeDef } from '../nodes/index';
import { DEFAULT_BINDING, inferGraph } from './infer';
import type { PortValue } from '../nodes/shape';
import { pruneGroups } from '../graph/groups';
import { edgeIds, freshEdgeId } from '../graph/ids';
import type { Edge, Graph, GraphNode } from '../graph/model';
import { nodeLabel, type NodeRegistry } from '../graph/params';

/** Horizontal room each inner node takes when a block is expanded in place, in flow units. */
export const EXPANDED_STEP_X = 240;
/** Nodes whose top is within this of the block's are on its row, and move right to make room. */
const SAME_ROW_Y = 80;

/** A block replaced by the primitives it is (issue 13, item 4): one graph edit, plus how its weights move. */
export interface Expansion {
  graph: Graph;
  blockId: string;
  /** The new node id of each inner key ("ln1" → "block_1_ln1"), in the composite's order. */
  ids: Record<string, string>;
  /** The new node whose output is what the block's was. */
  output: string;
  /** New node id → the block layer's weight names it takes, in its own weight order. */
  weights: Record<string, readonly string[]>;
}

/** Whether the node's type can be opened (its def has `expand`). */
export const isComposite = (type: string, registry: NodeRegistry = getNodeDef): boolean =>
  registry(type)?.expand !== undefined;

/**
 * What the block `nodeId` is made of, with its input shapes as inference sees them now (the feed-forward
 * width of a TransformerBlock depends on D), or one sentence saying why it cannot be opened.
 */
export function compositeOf(
  graph: Graph,
  nodeId: string,
  binding: Binding = DEFAULT_BINDING,
  registry: NodeRegistry = getNodeDef,
): { composite: Composite; node: GraphNode } | { error: string } {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return { error: `There is no node "${nodeId}".` };
  const def = registry(node.type);
  const label = nodeLabel(node.type, node.id);
  if (!def?.expand) return { error: `${label} is a single block; there is nothing inside to open.` };
  const analysis = inferGraph(graph, binding, registry);
  const inputs: Record<string, PortValue> = {};
  for (const port of Object.keys(def.inputs)) {
    const edge = graph.edges.find((e) => e.to.node === nodeId && e.to.port === port);
    const out = edge ? analysis.nodes[edge.from.node]?.out : undefined;
    if (!out)
      return { error: `Connect ${label}.${port} to a block with a known shape first: what is inside depends on it.` };
    inputs[port] = out;
  }
  const params = analysis.nodes[nodeId]?.params ?? node.params;
  if ((analysis.nodes[nodeId]?.diagnostics ?? []).some((d) => d.severity === 'error'))
    return { error: `Fix the problems of ${label} first: ${analysis.nodes[nodeId]?.diagnostics[0]?.message ?? ''}` };
  return { composite: def.expand({ params, inputs }), node };
}

/** The first `${stem}` or `${stem}_2`, `${stem}_3`, … that `used` lacks; adds it to `used`. */
function freshName(used: Set<string>, stem: string): string {
  let id = stem;
  for (let k = 2; used.has(id); k++) id = `${stem}_${k}`;
  used.add(id);
  return id;
}

/**
 * Replaces the block `nodeId` with its primitives, wired as the block computes, in one new Graph. Edges into
 * the block feed the inner nodes that read its inputs; edges out of it leave from the inner output. The
 * inner nodes sit in a row from the block's place, and nodes to its right on that row move over. A group
 * holding the block holds its primitives instead.
 */
export function expandNode(
  graph: Graph,
  nodeId: string,
  binding: Binding = DEFAULT_BINDING,
  registry: NodeRegistry = getNodeDef,
): Expansion | { error: string } {
  const found = compositeOf(graph, nodeId, binding, registry);
  if ('error' in found) return found;
  const { composite, node } = found;
  const usedNodes = new Set(graph.nodes.map((n) => n.id));
  usedNodes.delete(nodeId);
  const ids: Record<string, string> = {};
  for (const inner of composite.nodes) ids[inner.key] = freshName(usedNodes, `${nodeId}_${inner.key}`);
  const extra = (composite.nodes.length - 1) * EXPANDED_STEP_X;
  const inner: GraphNode[] = composite.nodes.map((n, i) => {
    const def = registry(n.type);
    const made: GraphNode = {
      id: ids[n.key],
      type: n.type,
      params: { ...n.params },
      position: { x: node.position.x + i * EXPANDED_STEP_X, y: node.position.y },
    };
    if (def) made.typeVersion = def.version;
    return made;
  });
  const nodes = graph.nodes.flatMap((n) => {
    if (n.id === nodeId) return inner;
    const isRightInRow = n.position.x > node.position.x && Math.abs(n.position.y - node.position.y) < SAME_ROW_Y;
    return isRightInRow ? [{ ...n, position: { x: n.position.x + extra, y: n.position.y } }] : [n];
  });

  const usedEdges = edgeIds(graph);
  const into = new Map(graph.edges.filter((e) => e.to.node === nodeId).map((e) => [e.to.port, e]));
  const edges: Edge[] = [];
  for (const e of graph.edges) {
    if (e.to.node === nodeId) continue; // replaced by the inner edges that read the block's inputs
    if (e.from.node === nodeId) edges.push({ ...e, from: { node: ids[composite.output], port: 'out' } });
    else edges.push(e);
  }
  for (const ie of composite.edges) {
    const source = 'input' in ie.from ? into.get(ie.from.input)?.from : { node: ids[ie.from.node], port: 'out' };
    if (!source)
      throw new Error(`${node.type} "${nodeId}": expand reads input "${JSON.stringify(ie.from)}" that is not wired`);
    edges.push({ id: freshEdgeId(usedEdges), from: { ...source }, to: { node: ids[ie.to.node], port: ie.to.port } });
  }
  const weights: Record<string, readonly string[]> = {};
  for (const [key, names] of Object.entries(composite.weights)) if (ids[key]) weights[ids[key]] = names;
  const next = pruneGroups({ ...graph, nodes, edges }, new Map([[nodeId, composite.nodes.map((n) => ids[n.key])]]));
  return { graph: next, blockId: nodeId, ids, output: ids[composite.output], weights };
}
