import { error, type Diagnostic } from '../graph/diagnostics';
import type { Graph, GraphNode } from '../graph/model';
import { displayText } from '../graph/display';
import { checkParams, nodeLabel, type NodeRegistry } from '../graph/params';
import { checkStructure, describeType, describeTypes, type Structure } from '../graph/validate';
import type { AnyNodeDef, Binding, Cost, NodeInfo } from '../nodes/define';
import { getNodeDef } from '../nodes/index';
import type { GraphAnalysis, NodeAnalysis } from './analysis';
import { ShapeError, type PortType, type PortValue } from '../nodes/shape';

/**
 * The one binding used when no dataset is bound: the app before its dataset loads and `wordloom check` without
 * --data. V = 67 is the character vocabulary of the bundled Shakespeare set (65 symbols + padding + unknown), the
 * app's default dataset, so the counts the app shows first and the ones `check` prints agree (docs/architecture.md).
 */
export const DEFAULT_BINDING: Binding = { vocabSize: 67, numClasses: 2 };

/**
 * Shapes, costs and every error of a graph at once, each diagnostic naming its node or edge.
 * Runs on every edit, so it is linear in nodes + edges and never builds tensors. Nodes downstream of
 * a failed node get no shape and no extra diagnostic; their own param and wiring errors still show.
 */
export function inferGraph(graph: Graph, binding: Binding, registry: NodeRegistry = getNodeDef): GraphAnalysis {
  const s = checkStructure(graph, registry);
  const diagnostics = [...s.diagnostics];
  // Null prototype: an id such as "__proto__" is an ordinary key here (issue 12).
  const nodes: Record<string, NodeAnalysis> = Object.create(null) as Record<string, NodeAnalysis>;
  const badParams = new Set<string>();
  for (const [id, n] of s.nodes) {
    const def = s.defs.get(id);
    if (!def) {
      nodes[id] = { params: { ...n.params }, diagnostics: [] };
      continue;
    }
    const checked = checkParams(n, def);
    nodes[id] = { params: checked.params, diagnostics: [] };
    if (checked.diagnostics.length) badParams.add(id);
    diagnostics.push(...checked.diagnostics);
  }
  const { byType, byId } = nodeInfos(s.nodes, nodes);
  const nodesOfType = (type: string): NodeInfo[] => byType.get(type) ?? [];
  for (const id of s.order) {
    const def = s.defs.get(id);
    const node = s.nodes.get(id);
    if (!def || !node) continue;
    const inputs = gatherInputs(id, node, def, s, nodes, diagnostics);
    if (badParams.has(id)) continue;
    if (!inputs) {
      const { checkGraph } = def;
      const broken =
        checkGraph &&
        attempt(node, () => {
          checkGraph({ params: nodes[id].params, nodesOfType });
          return {};
        });
      if (broken && 'diagnostic' in broken) diagnostics.push(broken.diagnostic);
      continue;
    }
    const result = runNode(node, def, { inputs, params: nodes[id].params, binding, nodesOfType });
    if ('diagnostic' in result) {
      diagnostics.push(result.diagnostic);
      continue;
    }
    nodes[id].out = result.out;
    nodes[id].cost = result.cost;
    const info = byId.get(id);
    if (info) info.out = result.out;
  }
  for (const d of diagnostics) if (d.nodeId !== undefined) nodes[d.nodeId]?.diagnostics.push(d);
  return summarize(s, nodes, diagnostics, badParams);
}

type NodeArgs = {
  inputs: Record<string, PortValue>;
  params: Record<string, number | boolean | string>;
  binding: Binding;
  nodesOfType: (type: string) => NodeInfo[];
};

/** The node's input values, or undefined when one is missing, failed upstream, or has the wrong type. */
function gatherInputs(
  id: string,
  node: GraphNode,
  def: AnyNodeDef,
  s: Structure,
  nodes: Record<string, NodeAnalysis>,
  diagnostics: Diagnostic[],
): Record<string, PortValue> | undefined {
  const inputs: Record<string, PortValue> = {};
  let ready = true;
  for (const [port, accepts] of Object.entries<readonly PortType[]>(def.inputs)) {
    const edge = s.into.get(id)?.get(port);
    const value = edge ? nodes[edge.from.node]?.out : undefined;
    if (!edge || !value) {
      ready = false; // unconnected (already reported) or failed upstream (no extra noise)
      continue;
    }
    if (!accepts.includes(value.type)) {
      const msg = `${nodeLabel(node.type, id)}.${port} takes ${describeTypes(accepts)}, but "${displayText(edge.from.node)}" gives ${describeType(value.type)}.`;
      diagnostics.push(error('port-type', msg, { edgeId: edge.id, nodeId: id, port }));
      ready = false;
      continue;
    }
    inputs[port] = value;
  }
  return ready ? inputs : undefined;
}

/** Calls the def's infer and cost; a ShapeError becomes a diagnostic naming the node and port. */
function runNode(
  node: GraphNode,
  def: AnyNodeDef,
  args: NodeArgs,
): { out: PortValue; cost: Cost } | { diagnostic: Diagnostic } {
  return attempt(node, () => {
    const out = def.infer(args);
    return { out, cost: def.cost({ ...args, out }) };
  });
}

/** Runs `f`; a ShapeError it throws becomes a diagnostic naming the node and port. */
function attempt<T extends object>(node: GraphNode, f: () => T): T | { diagnostic: Diagnostic } {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e; // a bug in the node def, not the user's doing
    const where = `${nodeLabel(node.type, node.id)}${e.port ? `.${e.port}` : ''}`;
    const own = e.message.startsWith(`${node.type}: `) ? e.message.slice(node.type.length + 2) : e.message;
    const msg = `${where}: ${own}${/[.!?]$/.test(own) ? '' : '.'}`;
    return { diagnostic: error('shape-mismatch', msg, { nodeId: node.id, ...(e.port ? { port: e.port } : {}) }) };
  }
}

/** Every node as seen from elsewhere, by type and by id (so recording an output is O(1), not a scan of its type). */
function nodeInfos(
  graphNodes: Map<string, GraphNode>,
  nodes: Record<string, NodeAnalysis>,
): { byType: Map<string, NodeInfo[]>; byId: Map<string, NodeInfo> } {
  const byType = new Map<string, NodeInfo[]>();
  const byId = new Map<string, NodeInfo>();
  for (const [id, n] of graphNodes) {
    const info: NodeInfo = { id, type: n.type, params: nodes[id].params };
    const list = byType.get(n.type) ?? [];
    list.push(info);
    byType.set(n.type, list);
    byId.set(id, info);
  }
  return { byType, byId };
}

function summarize(
  s: Structure,
  nodes: Record<string, NodeAnalysis>,
  diagnostics: Diagnostic[],
  badParams: Set<string>,
): GraphAnalysis {
  const totals: Cost = { params: 0, flopsPerToken: 0, activations: 0 };
  for (const n of Object.values(nodes)) {
    if (!n.cost) continue;
    totals.params += n.cost.params;
    totals.flopsPerToken += n.cost.flopsPerToken;
    totals.activations += n.cost.activations;
  }
  const analysis: GraphAnalysis = { nodes, order: s.hasCycle ? [] : s.order, diagnostics, totals };
  if (s.heads.length === 1) {
    analysis.headId = s.heads[0];
    analysis.task = s.defs.get(s.heads[0])?.head;
  }
  if (s.inputs.length === 1) {
    const inputId = s.inputs[0];
    analysis.inputId = inputId;
    const t = nodes[inputId].params.seqLen;
    if (!badParams.has(inputId) && typeof t === 'number') analysis.seqLen = t;
  }
  return analysis;
}
