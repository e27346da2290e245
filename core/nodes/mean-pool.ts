import { symbolic } from './symbolic';
import { MaskedMeanPool } from '../layers/masked-mean-pool';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { noWeights, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const meanPoolModule: PyModule = {
  name: 'MeanPool',
  source: String.raw`class MeanPool(nn.Module):
    """Mean over the real (non-padding) positions: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        mask = keep.unsqueeze(-1)  # (B, T, 1)
        return (x * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # (B, D)
`,
};

export const meanPoolNode = defineNode({
  type: 'MeanPool',
  version: 1,
  label: 'Mean pool',
  category: 'layers',
  doc:
    'Averages the token vectors of a text into one vector of D numbers, skipping padding. ' +
    'Over embeddings this is the classic neural bag of words: fast, parameter-free and hard to overfit, a good first classifier. ' +
    'Like any bag it forgets word order, and one strong word is diluted in a long text (max pool keeps it).',
  inputs: { in: ['sequence'] },
  params: {},
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `MeanPool: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'vector', shape: [x.shape[1] ?? 0] };
  },
  cost: ({ inputs }) => {
    const [t = 0, d = 0] = inputs.in.shape;
    return {
      params: 0,
      flopsPerToken: d, // one add per feature
      activations: t * d + d, // the masked input and the mean
    };
  },
  build: ({ inputs, tokens, name }) => {
    const layer = new MaskedMeanPool({ name });
    return { out: symbolic(layer.apply([inputs.in, tokens]), name), layer }; // (B, T, D) -> (B, D)
  },
  layers: [MaskedMeanPool],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return { init: `${self} = MeanPool()`, forward: call(`${x}, keep`), modules: [meanPoolModule] };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: true },
  migrations: [],
});
