import { TOKENS_INPUT } from '../../compile/compile';
import { layerNames } from '../../compile/names';
import type { Graph } from '../../graph/model';
import type { Binding } from '../../nodes/define';
import { getNodeDef } from '../../nodes/index';
import { inferGraph } from '../../shapes/infer';
import { pythonNames } from './names';
import type { ExportPlan, PlanNode } from '../../nodes/pytorch';

export type { ExportPlan, PlanNode } from '../../nodes/pytorch';

export type PlanResult = { ok: true; plan: ExportPlan } | { ok: false; message: string };

/** Ids of `target` and every node it depends on. */
function ancestors(graph: Graph, target: string): Set<string> {
  const seen = new Set<string>([target]);
  const stack = [target];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const e of graph.edges) {
      if (e.to.node === id && !seen.has(e.from.node)) {
        seen.add(e.from.node);
        stack.push(e.from.node);
      }
    }
  }
  return seen;
}

/** What the generator needs from a graph, or the one sentence saying why it cannot be exported. */
export function planExport(graph: Graph, binding: Binding): PlanResult {
  const heads = graph.nodes.filter((n) => getNodeDef(n.type)?.head !== undefined);
  const used = heads.length === 1 ? ancestors(graph, heads[0].id) : new Set(graph.nodes.map((n) => n.id));
  // Every registered node type carries its PyTorch part (a type error otherwise), so only an unknown type is refused.
  const odd = graph.nodes.find((n) => used.has(n.id) && !getNodeDef(n.type));
  if (odd) {
    return {
      ok: false,
      message: `Node "${odd.id}" is a ${odd.type}, a node type this version of Wordloom does not know, so this graph cannot be exported to PyTorch.`,
    };
  }
  const analysis = inferGraph(graph, binding);
  const problem = [...analysis.diagnostics, ...Object.values(analysis.nodes).flatMap((n) => n.diagnostics)].find(
    (d) => d.severity === 'error',
  );
  const { task, headId, seqLen } = analysis;
  if (problem)
    return { ok: false, message: `The graph does not compile, so it cannot be exported: ${problem.message}` };
  if (task === undefined || headId === undefined || seqLen === undefined) {
    return { ok: false, message: 'The graph needs one TokenInput and one head to be exported to PyTorch.' };
  }
  const layers = layerNames(analysis.order, [TOKENS_INPUT]);
  const order = analysis.order.filter((id) => used.has(id));
  const py = pythonNames(order);
  const nodes: PlanNode[] = [];
  for (const id of order) {
    const node = graph.nodes.find((n) => n.id === id);
    const info = analysis.nodes[id];
    if (!node || !info?.out) throw new Error(`planExport: inference accepted "${id}" but gave it no output`);
    const inputs: Record<string, string> = {};
    for (const e of graph.edges) if (e.to.node === id) inputs[e.to.port] = e.from.node;
    nodes.push({
      id,
      type: node.type,
      py: py.get(id) ?? id,
      layer: layers.get(id) ?? id,
      params: info.params,
      inputs,
      out: info.out,
    });
  }
  return { ok: true, plan: { name: graph.name, task, binding, seqLen, headId, nodes } };
}
