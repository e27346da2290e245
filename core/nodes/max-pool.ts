import { symbolic } from './symbolic';
import { MaskedMaxPool } from '../layers/masked-max-pool';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { noWeights, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const maxPoolModule: PyModule = {
  name: 'MaxPool',
  source: String.raw`class MaxPool(nn.Module):
    """Max over the real (non-padding) positions: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        mask = keep.unsqueeze(-1)  # (B, T, 1)
        lifted = x * mask + (1.0 - mask) * -1e9  # (B, T, D): padding far below every real value
        any_real = keep.sum(1, keepdim=True).clamp(max=1.0)  # (B, 1)
        return lifted.max(1).values * any_real  # (B, D)
`,
};

export const maxPoolNode = defineNode({
  type: 'MaxPool',
  version: 1,
  label: 'Max pool',
  category: 'layers',
  doc:
    'Keeps, for each of the D features, its largest value over the real tokens of the text (padding is skipped). ' +
    'It acts as a detector: a feature that fires on any one word survives however long the text is, which mean pooling would dilute. ' +
    'It forgets word order and how often a feature fired, and only the winning position gets a gradient.',
  inputs: { in: ['sequence'] },
  params: {},
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `MaxPool: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'vector', shape: [x.shape[1] ?? 0] };
  },
  cost: ({ inputs }) => {
    const [t = 0, d = 0] = inputs.in.shape;
    return {
      params: 0,
      flopsPerToken: d, // one compare per feature
      activations: t * d + d, // the masked input and the max
    };
  },
  build: ({ inputs, tokens, name }) => {
    const layer = new MaskedMaxPool({ name });
    return { out: symbolic(layer.apply([inputs.in, tokens]), name), layer }; // (B, T, D) -> (B, D)
  },
  layers: [MaskedMaxPool],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return { init: `${self} = MaxPool()`, forward: call(`${x}, keep`), modules: [maxPoolModule] };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: true },
  migrations: [],
});
