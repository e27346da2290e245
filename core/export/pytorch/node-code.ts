import type { PortValue } from '../../shapes/shape';
import type { Block } from './blocks-py';
import type { ExportPlan, PlanNode } from './plan';

/** One node's lines in model.py: its module in `__init__` (if any) and its line in `forward`. */
export interface NodeCode {
  init?: string;
  forward?: string;
  block?: Block;
}

/** `(B, T, 128)`: the shape comment of a port value (T stands for the sequence axis). */
export function shapeComment(v: PortValue): string {
  if (v.type === 'tokens') return '(B, T)';
  if (v.type === 'sequence' || (v.type === 'logits' && v.shape.length === 2)) return `(B, T, ${v.shape[1]})`;
  return `(B, ${v.shape[0]})`;
}

const pyBool = (b: unknown): string => (b === true ? 'True' : 'False');
const pyFloat = (x: unknown): string => {
  const n = typeof x === 'number' ? x : 0;
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
};
const pyStr = (s: unknown): string => JSON.stringify(String(s));

/** Width of the last axis of a port value. */
const width = (v: PortValue): number => v.shape[v.shape.length - 1];

export interface CodeContext {
  plan: ExportPlan;
  byId: Map<string, PlanNode>;
}

/** Python expression holding a node's output in `forward`: `tokens` for the TokenInput, else its name. */
export function valueOf(ctx: CodeContext, id: string): string {
  const n = ctx.byId.get(id);
  if (!n) throw new Error(`model.py: node "${id}" is not part of the export plan`);
  return n.type === 'TokenInput' ? 'tokens' : n.py;
}

function input(ctx: CodeContext, n: PlanNode, port: string): PlanNode {
  const src = ctx.byId.get(n.inputs[port] ?? '');
  if (!src) throw new Error(`model.py: ${n.type} "${n.id}" has nothing on port "${port}"`);
  return src;
}

const ACTIVATION: Record<string, (x: string) => string> = {
  linear: (x) => x,
  relu: (x) => `torch.relu(${x})`,
  gelu: (x) => `F.gelu(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
};

/** The `__init__` and `forward` lines of one node. */
export function nodeCode(ctx: CodeContext, n: PlanNode): NodeCode {
  const p = n.params;
  const self = `self.${n.py}`;
  const shape = shapeComment(n.out);
  const call = (args: string, extra = ''): string => `${n.py} = ${self}(${args})  # ${shape}${extra}`;
  const x = n.inputs.in === undefined ? '' : valueOf(ctx, n.inputs.in);
  const d = n.inputs.in === undefined ? 0 : width(input(ctx, n, 'in').out);
  switch (n.type) {
    case 'TokenInput':
      return {};
    case 'Embedding':
      return { init: `${self} = nn.Embedding(V, ${p.dim})`, forward: call(x) };
    case 'PositionalEncoding':
      return {
        init: `${self} = PositionalEncoding(${pyStr(p.kind)}, T, ${d})`,
        forward: call(x),
        block: 'PositionalEncoding',
      };
    case 'BagOfWords':
      return {
        init: `${self} = BagOfWords(V, binary=${pyBool(p.mode === 'binary')})`,
        forward: call(x),
        block: 'BagOfWords',
      };
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const cell = n.type === 'SimpleRNN' ? 'rnn' : n.type.toLowerCase();
      const args = `return_sequences=${pyBool(p.returnSequences)}, bidirectional=${pyBool(p.bidirectional)}`;
      return {
        init: `${self} = Recurrent(${pyStr(cell)}, ${d}, ${p.units}, ${args})`,
        forward: call(`${x}, keep`),
        block: 'Recurrent',
      };
    }
    case 'SelfAttention':
      return {
        init: `${self} = SelfAttention(${d}, heads=${p.heads}, causal=${pyBool(p.causal)}, dropout=${pyFloat(p.dropout)})`,
        forward: call(`${x}, keep`),
        block: 'SelfAttention',
      };
    case 'TransformerBlock': {
      const args = `heads=${p.heads}, ff_mult=${p.ffMultiplier}, causal=${pyBool(p.causal)}, dropout=${pyFloat(p.dropout)}, norm=${pyStr(p.norm)}`;
      return {
        init: `${self} = TransformerBlock(${d}, ${args})`,
        forward: call(`${x}, keep`),
        block: 'TransformerBlock',
      };
    }
    case 'FeedForward':
      return {
        init: `${self} = FeedForward(${d}, hidden=${p.hidden}, activation=${pyStr(p.activation)})`,
        forward: call(x),
        block: 'FeedForward',
      };
    case 'Dense': {
      const act = ACTIVATION[String(p.activation)];
      if (!act) throw new Error(`model.py: Dense "${n.id}" has an unknown activation ${String(p.activation)}`);
      return {
        init: `${self} = nn.Linear(${d}, ${p.units})`,
        forward: `${n.py} = ${act(`${self}(${x})`)}  # ${shape}`,
      };
    }
    case 'LayerNorm':
      return { init: `${self} = nn.LayerNorm(${d}, eps=1e-5)`, forward: call(x) };
    case 'Dropout':
      return { init: `${self} = nn.Dropout(${pyFloat(p.rate)})`, forward: call(x) };
    case 'Add':
      return { forward: `${n.py} = ${valueOf(ctx, n.inputs.a ?? '')} + ${valueOf(ctx, n.inputs.b ?? '')}  # ${shape}` };
    case 'Concat': {
      const [a, b] = [valueOf(ctx, n.inputs.a ?? ''), valueOf(ctx, n.inputs.b ?? '')];
      return { forward: `${n.py} = torch.cat([${a}, ${b}], dim=-1)  # ${shape}` };
    }
    case 'MeanPool':
      return { init: `${self} = MeanPool()`, forward: call(`${x}, keep`), block: 'MeanPool' };
    case 'MaxPool':
      return { init: `${self} = MaxPool()`, forward: call(`${x}, keep`), block: 'MaxPool' };
    case 'LastToken':
      return { init: `${self} = LastToken()`, forward: call(`${x}, keep`), block: 'LastToken' };
    case 'NextTokenHead': {
      if (p.tieEmbedding !== true) return { init: `${self} = nn.Linear(${d}, V)`, forward: call(x) };
      const emb = ctx.plan.nodes.find((m) => m.type === 'Embedding');
      if (!emb) throw new Error(`model.py: NextTokenHead "${n.id}" is tied but the plan has no Embedding`);
      return {
        forward: `${n.py} = F.linear(${x}, self.${emb.py}.weight)  # ${shape}: tied, x @ ${emb.py}.weight^T, no bias`,
      };
    }
    case 'ClassifierHead':
    case 'TaggerHead':
      return { init: `${self} = nn.Linear(${d}, C)`, forward: call(x) };
    default:
      throw new Error(`model.py: no code for node type ${n.type} (planExport should have refused it)`);
  }
}
