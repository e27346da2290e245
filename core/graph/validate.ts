import { error, type Diagnostic } from './diagnostics';
import type { AnyNodeDef } from '../nodes/define';
import type { PortType } from '../nodes/shape';
import type { Edge, Graph, GraphNode } from './model';
import { displayText, listSome } from './display';
import { nodeLabel, unknownTypeDiagnostic, type NodeRegistry } from './params';
import { topoSort } from './topo';

/** What the wiring of a graph says, before any shape is known. */
export interface Structure {
  /** First node of each id (later duplicates are reported and ignored). */
  nodes: Map<string, GraphNode>;
  /** Defs of the nodes whose type is known. */
  defs: Map<string, AnyNodeDef>;
  /** The one edge feeding each input port: nodeId → port → edge. */
  into: Map<string, Map<string, Edge>>;
  /** Topological order of the nodes not on or after a cycle. */
  order: string[];
  hasCycle: boolean;
  heads: string[];
  inputs: string[];
  diagnostics: Diagnostic[];
}

/** Is this def where tokens enter the graph (TokenInput)? */
export const isInputDef = (def: AnyNodeDef): boolean => def.category === 'input';

const article = (t: PortType): string => (t === 'sequence' || t === 'vector' ? `a ${t}` : t);
/** "tokens", "a sequence or a vector". */
export const describeTypes = (types: readonly PortType[]): string => types.map(article).join(' or ');
export const describeType = article;

/**
 * Every structural error at once: unknown types, duplicate ids, dangling edges, unknown ports, two
 * edges into one input, cycles, unconnected inputs, and not exactly one head and one TokenInput.
 */
export function checkStructure(graph: Graph, registry: NodeRegistry): Structure {
  const diagnostics: Diagnostic[] = [];
  const nodes = new Map<string, GraphNode>();
  const defs = new Map<string, AnyNodeDef>();
  for (const n of graph.nodes) {
    if (nodes.has(n.id)) {
      diagnostics.push(
        error('duplicate-id', `Two nodes share the id "${displayText(n.id)}"; node ids must be unique.`, { nodeId: n.id }),
      );
      continue;
    }
    nodes.set(n.id, n);
    const def = registry(n.type);
    if (def) defs.set(n.id, def);
    else diagnostics.push(unknownTypeDiagnostic(n));
  }
  const into = new Map<string, Map<string, Edge>>();
  const linked: Edge[] = [];
  const edgeIds = new Set<string>();
  for (const e of graph.edges) {
    if (edgeIds.has(e.id))
      diagnostics.push(
        error('duplicate-id', `Two edges share the id "${displayText(e.id)}"; edge ids must be unique.`, { edgeId: e.id }),
      );
    edgeIds.add(e.id);
    const problem = edgeProblem(e, nodes, defs);
    if (problem) {
      diagnostics.push(problem);
      if (problem.code === 'dangling-edge') continue;
    }
    linked.push(e);
    if (problem) continue;
    const ports = into.get(e.to.node) ?? new Map<string, Edge>();
    into.set(e.to.node, ports);
    const taken = ports.get(e.to.port);
    if (taken) {
      const msg = `Edge "${displayText(e.id)}" goes to ${portLabel(nodes, e.to.node, e.to.port)}, which already has edge "${displayText(taken.id)}"; an input takes one edge.`;
      diagnostics.push(error('port-taken', msg, { edgeId: e.id, nodeId: e.to.node, port: e.to.port }));
    } else ports.set(e.to.port, e);
  }
  const { order, cycles } = topoSort([...nodes.keys()], linked);
  for (const cycle of cycles) {
    const path = cyclePath(cycle);
    for (const id of cycle)
      diagnostics.push(error('cycle', `${labelOf(nodes, id)} is on a cycle: ${path}.`, { nodeId: id }));
  }
  for (const [id, def] of defs) {
    for (const [port, accepts] of Object.entries<readonly PortType[]>(def.inputs)) {
      if (into.get(id)?.has(port)) continue;
      const msg = `${labelOf(nodes, id)}.${port} is not connected; it needs ${describeTypes(accepts)}.`;
      diagnostics.push(error('unconnected', msg, { nodeId: id, port }));
    }
  }
  const heads = [...defs].filter(([, d]) => d.head !== undefined).map(([id]) => id);
  const inputs = [...defs].filter(([, d]) => isInputDef(d)).map(([id]) => id);
  diagnostics.push(...countProblems(nodes, heads, inputs));
  return { nodes, defs, into, order, hasCycle: cycles.length > 0, heads, inputs, diagnostics };
}

function edgeProblem(e: Edge, nodes: Map<string, GraphNode>, defs: Map<string, AnyNodeDef>): Diagnostic | undefined {
  for (const [end, ref] of [
    ['comes from', e.from],
    ['goes to', e.to],
  ] as const) {
    if (!nodes.has(ref.node)) {
      return error('dangling-edge', `Edge "${displayText(e.id)}" ${end} "${displayText(ref.node)}", which is not in the graph.`, {
        edgeId: e.id,
      });
    }
  }
  const where = (node: string, port: string): Partial<Diagnostic> => ({ edgeId: e.id, nodeId: node, port });
  if (defs.has(e.from.node) && e.from.port !== 'out') {
    const msg = `Edge "${displayText(e.id)}" comes from ${portLabel(nodes, e.from.node, e.from.port)}, but a node's only output is "out".`;
    return error('unknown-port', msg, where(e.from.node, e.from.port));
  }
  const def = defs.get(e.to.node);
  if (def && !Object.hasOwn(def.inputs, e.to.port)) {
    const ports = Object.keys(def.inputs);
    const has = ports.length ? `its inputs are ${ports.join(', ')}` : 'it has no inputs';
    const msg = `Edge "${displayText(e.id)}" goes to ${portLabel(nodes, e.to.node, e.to.port)}, but ${has}.`;
    return error('unknown-port', msg, where(e.to.node, e.to.port));
  }
  return undefined; // a self-loop is fine here: it is reported as a cycle
}

function countProblems(nodes: Map<string, GraphNode>, heads: string[], inputs: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (heads.length === 0) {
    out.push(
      error(
        'no-head',
        'The graph has no head: add a NextTokenHead, ClassifierHead or TaggerHead to say what it predicts.',
      ),
    );
  }
  if (heads.length > 1) {
    for (const id of heads) {
      const msg = `${labelOf(nodes, id)} is one of ${heads.length} heads (${listSome(heads)}); a graph has exactly one.`;
      out.push(error('many-heads', msg, { nodeId: id }));
    }
  }
  if (inputs.length === 0) out.push(error('no-input', 'The graph has no TokenInput: add one where the text comes in.'));
  if (inputs.length > 1) {
    for (const id of inputs) {
      const msg = `${labelOf(nodes, id)} is one of ${inputs.length} token inputs (${listSome(inputs)}); a graph has exactly one.`;
      out.push(error('many-inputs', msg, { nodeId: id }));
    }
  }
  return out;
}

/** "a → b → c → a", or for a long cycle its first 8 blocks, a count of the rest, and the way back. */
function cyclePath(cycle: readonly string[]): string {
  const limit = 8;
  const shown = cycle.slice(0, limit).map(displayText);
  if (cycle.length > limit) shown.push(`… and ${cycle.length - limit} more`);
  return [...shown, displayText(cycle[0])].join(' → ');
}

const labelOf = (nodes: Map<string, GraphNode>, id: string): string => nodeLabel(nodes.get(id)?.type ?? 'Node', id);
const portLabel = (nodes: Map<string, GraphNode>, id: string, port: string): string =>
  `${labelOf(nodes, id)}.${displayText(port)}`;
