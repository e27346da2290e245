/**
 * The PyTorch part of a node definition: what each node type writes into model.py (its nn.Module source, its
 * line in `__init__` and in `forward`) and where its state_dict entries come from in the tf.js model. Each node
 * file fills in its own `pytorch`; core/export/pytorch only walks the plan and asks the registry.
 */
import type { Binding, Task } from './define';
import type { PortValue } from './shape';

/** One node of the exported model, in topological order. */
export interface PlanNode {
  id: string;
  type: string;
  /** Python identifier: module attribute, local variable in `forward` and state_dict prefix. */
  py: string;
  /** The tf.js layer name compile gave this node (FeedForward's layers are `<layer>_up` and `<layer>_down`). */
  layer: string;
  params: Record<string, number | boolean | string>;
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

/** A Python class model.py defines before `Model` when a node uses it; `needs` are defined before it. */
export interface PyModule {
  name: string;
  source: string;
  needs?: readonly PyModule[];
}

/** One node's lines in model.py: its module in `__init__` (if any), its line in `forward`, the classes it uses. */
export interface NodeCode {
  init?: string;
  forward?: string;
  modules?: readonly PyModule[];
  /** The Python expression of the node's output when it is not the node's own variable (TokenInput: `tokens`). */
  value?: string;
}

export interface CodeContext {
  plan: ExportPlan;
  /** The Python expression holding node `id`'s output in `forward`. */
  valueOf: (id: string) => string;
  /** The plan node feeding `n`'s `port`; throws when nothing does. */
  input: (n: PlanNode, port: string) => PlanNode;
}

/** One state_dict entry and where its numbers live in the tf.js model. */
export interface WeightRef {
  /** PyTorch state_dict key, e.g. `block1.attn.qkv.weight`. */
  key: string;
  /** tf.js layer name. */
  layer: string;
  /** The weight's own name (after the last `/`, without a forward_/backward_ prefix): `kernel`, `qkv_bias`, … */
  suffix: string;
  /**
   * Axis order from the tf.js tensor to the PyTorch one (as `tf.transpose`'s perm): a Dense kernel (in, out)
   * becomes nn.Linear's (out, in) with [1, 0]; a Conv1D kernel (k, in, out) becomes (out, in, k) with [2, 1, 0].
   * Absent: the same layout.
   */
  permute?: readonly number[];
  /** Bidirectional RNNs hold a forward and a backward copy of each weight. */
  direction?: 'forward' | 'backward';
}

export interface PytorchPart {
  code: (ctx: CodeContext, n: PlanNode) => NodeCode;
  /** The state_dict entries of the node, in the order model.py creates them; every tf.js weight exactly once. */
  weights: (n: PlanNode) => WeightRef[];
}

/** `(B, T, 128)`: the shape comment of a port value (T stands for the sequence axis). */
export function shapeComment(v: PortValue): string {
  if (v.type === 'tokens') return '(B, T)';
  if (v.type === 'sequence' || (v.type === 'logits' && v.shape.length === 2)) return `(B, T, ${v.shape[1]})`;
  return `(B, ${v.shape[0]})`;
}

export const pyBool = (b: unknown): string => (b === true ? 'True' : 'False');
export const pyFloat = (x: unknown): string => {
  const n = typeof x === 'number' ? x : 0;
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
};
export const pyStr = (s: unknown): string => JSON.stringify(String(s));

/** Width of the last axis of a port value. */
export const width = (v: PortValue): number => v.shape[v.shape.length - 1];

/** What most nodes need to write their lines: `self.<py>`, the shape comment, the `in` value and its width. */
export function unary(ctx: CodeContext, n: PlanNode) {
  const self = `self.${n.py}`;
  const shape = shapeComment(n.out);
  const x = n.inputs.in === undefined ? '' : ctx.valueOf(n.inputs.in);
  const d = n.inputs.in === undefined ? 0 : width(ctx.input(n, 'in').out);
  const call = (args: string, extra = ''): string => `${n.py} = ${self}(${args})  # ${shape}${extra}`;
  return { self, shape, x, d, call };
}

/** nn.Linear's weight (transposed from tf.js's (in, out)) and bias. */
export const linear = (key: string, layer: string, kernel = 'kernel', bias = 'bias'): WeightRef[] => [
  { key: `${key}.weight`, layer, suffix: kernel, permute: [1, 0] },
  { key: `${key}.bias`, layer, suffix: bias },
];
/** A weight PyTorch keeps in tf.js's layout. */
export const plain = (key: string, layer: string, suffix: string): WeightRef => ({ key, layer, suffix });

/** The PyTorch part of a node with no weights and no module: `forward` computes it from its inputs. */
export const noWeights = (): WeightRef[] => [];

/** A head that is one nn.Linear from the incoming width to `out` (a name model.py defines, e.g. C) on the last axis. */
export const linearHead = (out: string): PytorchPart => ({
  code: (ctx, n) => {
    const { self, x, d, call } = unary(ctx, n);
    return { init: `${self} = nn.Linear(${d}, ${out})`, forward: call(x) };
  },
  weights: (n) => linear(n.py, n.layer),
});
