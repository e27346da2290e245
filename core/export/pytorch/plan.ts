import { TOKENS_INPUT } from '../../compile/compile';
import { layerNames } from '../../compile/names';
import type { Graph, ParamValue } from '../../graph/model';
import type { Binding, Task } from '../../nodes/define';
import { getNodeDef } from '../../nodes/index';
import type { PortValue } from '../../shapes/shape';
import { inferGraph } from '../../shapes/infer';
import { pythonNames } from './names';

/** Node types model.py can write; a graph using any other type is refused with a sentence naming the node. */
export const EXPORTABLE_TYPES = [
  'TokenInput',
  'Embedding',
  'PositionalEncoding',
  'BagOfWords',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'SelfAttention',
  'TransformerBlock',
  'FeedForward',
  'Dense',
  'LayerNorm',
  'Dropout',
  'Add',
  'Concat',
  'MeanPool',
  'MaxPool',
  'LastToken',
  'NextTokenHead',
  'ClassifierHead',
  'TaggerHead',
] as const;
const EXPORTABLE: ReadonlySet<string> = new Set(EXPORTABLE_TYPES);

/** One node of the exported model, in topological order. */
export interface PlanNode {
  id: string;
  type: string;
  /** Python identifier: module attribute, local variable in `forward` and state_dict prefix. */
  py: string;
  /** The tf.js layer name compile gave this node (FeedForward's layers are `<layer>_up` and `<layer>_down`). */
  layer: string;
  params: Record<string, ParamValue>;
  /** Input port → id of the node feeding it. */
  inputs: Record<string, string>;
  /** Output without the batch axis, as inference found it. */
  out: PortValue;
}

export interface ExportPlan {
  name: string;
  task: Task;
  binding: Binding;
  seqLen: number;
  headId: string;
  /** Only the nodes that feed the head, in topological order. */
  nodes: PlanNode[];
}

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
  const odd = graph.nodes.find((n) => used.has(n.id) && !EXPORTABLE.has(n.type));
  if (odd) {
    return {
      ok: false,
      message: `Node "${odd.id}" is a ${odd.type}, which the PyTorch export cannot write yet, so this graph cannot be exported to PyTorch.`,
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
