import { symbolic } from './symbolic';
import { PositionalEncoding } from '../layers/positional-encoding';
import { select } from '../params/spec';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { plain, pyStr, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const positionalModule: PyModule = {
  name: 'PositionalEncoding',
  source: String.raw`class PositionalEncoding(nn.Module):
    """Adds a position signal to x (B, T, D): a trainable (T, D) table ("learned", GPT-2) or fixed sine and
    cosine waves ("sinusoidal", the 2017 Transformer). Shorter inputs use the first rows."""

    def __init__(self, kind, t, d):
        super().__init__()
        self.kind = kind
        if kind == "learned":
            self.weight = nn.Parameter(torch.zeros(t, d))  # (T, D)
        else:
            pos = torch.arange(t, dtype=torch.float64).unsqueeze(1)  # (T, 1)
            i = torch.arange(d)  # (D,)
            angle = pos / torch.pow(10000.0, (2 * (i // 2)).double() / d)  # (T, D)
            table = torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)).float()  # sin at even, cos at odd
            self.register_buffer("table", table, persistent=False)  # (T, D), not a weight

    def forward(self, x):  # x: (B, T, D)
        table = self.weight if self.kind == "learned" else self.table
        assert x.size(1) <= table.size(0), f"sequence length {x.size(1)} exceeds the {table.size(0)} positions"
        return x + table[: x.size(1)]  # (B, T, D) + (T, D)
`,
};

export const positionalEncodingNode = defineNode({
  type: 'PositionalEncoding',
  version: 1,
  label: 'Positional encoding',
  category: 'embedding',
  doc:
    'Adds a vector that depends only on the position (0, 1, 2, …) to each token vector, so later layers can tell "dog bites man" from "man bites dog". ' +
    'Attention and pooling ignore order without it; RNNs read in order and rarely need it. ' +
    'Learned positions (GPT) adapt to the data but cost T × D parameters and know nothing beyond T; ' +
    'sinusoidal positions (the 2017 Transformer) are fixed waves with no parameters.',
  inputs: { in: ['sequence'] },
  params: {
    kind: select({
      default: 'learned',
      options: ['learned', 'sinusoidal'],
      doc: 'Learned: a trainable table of T × D. Sinusoidal: fixed sine and cosine waves.',
    }),
  },
  keyParams: ['kind'],
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `PositionalEncoding: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'sequence', shape: [...x.shape] };
  },
  cost: ({ inputs, params }) => {
    const [t = 0, d = 0] = inputs.in.shape;
    return {
      params: params.kind === 'learned' ? t * d : 0,
      flopsPerToken: d, // one add per feature
      activations: t * d,
    };
  },
  build: ({ inputs, params, name }) => {
    const layer = new PositionalEncoding({ kind: params.kind, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T, D) -> (B, T, D)
  },
  layers: [PositionalEncoding],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      return {
        init: `${self} = PositionalEncoding(${pyStr(n.params.kind)}, T, ${d})`,
        forward: call(x),
        modules: [positionalModule],
      };
    },
    weights: (n) => (n.params.kind === 'learned' ? [plain(`${n.py}.weight`, n.layer, 'embeddings')] : []),
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
