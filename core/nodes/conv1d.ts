import { MaskedConv1D } from '../layers/masked-conv1d';
import { int, select } from '../params/spec';
import { defineNode } from './define';
import { pyStr, unary, type PyModule } from './pytorch';
import { ShapeError, fmt } from './shape';
import { symbolic } from './symbolic';

/** model.py's causal, padding-masked Conv1D, the same operations as core/layers/masked-conv1d.ts. */
export const conv1dModule: PyModule = {
  name: 'CausalConv1D',
  source: String.raw`class CausalConv1D(nn.Module):
    """Causal 1-D convolution over x (B, T, D): position t sees t-k+1 .. t (k-1 zeros on the left). Inputs at
    padding are zeroed first so they never reach a real position, and outputs at padding are 0."""

    def __init__(self, d, filters, k, activation):
        super().__init__()
        self.k, self.activation = k, activation
        self.conv = nn.Conv1d(d, filters, k)  # weight (F, D, k)

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        m = keep.unsqueeze(-1)  # (B, T, 1)
        h = F.pad((x * m).transpose(1, 2), (self.k - 1, 0))  # (B, D, k-1+T)
        y = self.conv(h).transpose(1, 2)  # (B, T, F)
        if self.activation == "relu":
            y = torch.relu(y)
        elif self.activation == "gelu":
            y = F.gelu(y)
        return y * m  # (B, T, F), 0 at padding
`,
};

export const conv1dNode = defineNode({
  type: 'Conv1D',
  version: 1,
  label: 'Causal conv 1D',
  category: 'layers',
  doc:
    'Slides a window of `kernelSize` positions over the text and mixes them with learned filters: each output sees ' +
    'only its own and the previous positions (causal), so it can feed a language model, and padding never leaks in. ' +
    'It finds local patterns (n-grams) cheaply and in parallel over T, but sees only kernelSize tokens back per layer; stack it or pair it with attention for more.',
  inputs: { in: ['sequence'] },
  params: {
    filters: int({ default: 64, min: 1, max: 4096, doc: 'F: output width, one number per learned filter.' }),
    kernelSize: int({
      default: 3,
      min: 1,
      max: 64,
      doc: 'k: how many positions (itself and k-1 before) each output sees.',
    }),
    activation: select({
      default: 'relu',
      options: ['linear', 'relu', 'gelu'],
      doc: 'Non-linearity after the filters.',
    }),
  },
  keyParams: ['filters', 'kernelSize'],
  infer: ({ inputs, params }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `Conv1D: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'sequence', shape: [x.shape[0], params.filters] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = inputs.in.shape;
    const { kernelSize: k, filters: f } = params;
    return { params: k * d * f + f, flopsPerToken: 2 * k * d * f, activations: t * (d + 2 * f) };
  },
  build: ({ inputs, params, tokens, name }) => {
    const layer = new MaskedConv1D({ ...params, name });
    return { out: symbolic(layer.apply([inputs.in, tokens]), name), layer }; // (B, T, D) -> (B, T, F)
  },
  layers: [MaskedConv1D],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      const p = n.params;
      return {
        init: `${self} = CausalConv1D(${d}, ${p.filters}, ${p.kernelSize}, ${pyStr(p.activation)})`,
        forward: call(`${x}, keep`),
        modules: [conv1dModule],
      };
    },
    weights: ({ py, layer }) => [
      { key: `${py}.conv.weight`, layer, suffix: 'kernel', permute: [2, 1, 0] }, // (k, D, F) -> (F, D, k)
      { key: `${py}.conv.bias`, layer, suffix: 'bias' },
    ],
  },
  capabilities: { attentionMaps: false, masksPadding: true },
  migrations: [],
});
