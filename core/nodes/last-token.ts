import { symbolic } from './symbolic';
import { LastToken } from '../layers/last-token';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { noWeights, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const lastTokenModule: PyModule = {
  name: 'LastToken',
  source: String.raw`class LastToken(nn.Module):
    """x at the last real (non-padding) position: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        rank = keep * torch.arange(1, x.size(1) + 1, device=x.device)  # (B, T): position + 1 at real tokens
        last = rank.max(1, keepdim=True).values  # (B, 1): 0 when the row is all padding
        pick = (rank == last).float() * keep  # (B, T): one-hot of the last real token
        return (x * pick.unsqueeze(-1)).sum(1)  # (B, D)
`,
};

export const lastTokenNode = defineNode({
  type: 'LastToken',
  version: 1,
  label: 'Last token',
  category: 'layers',
  doc:
    'Picks the vector at the last real (non-padding) token of each text, giving one vector of D numbers. ' +
    'After an RNN this is the state that has read the whole text; after causal attention it is the only position that has seen everything. ' +
    'It costs nothing, but the summary leans on the end of the text, and after non-causal layers mean or max pooling is often better.',
  inputs: { in: ['sequence'] },
  params: {},
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `LastToken: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'vector', shape: [x.shape[1] ?? 0] };
  },
  cost: ({ inputs }) => {
    const [t = 0, d = 0] = inputs.in.shape;
    return {
      params: 0,
      flopsPerToken: d, // one multiply-add per feature to select the position
      activations: t + d, // the one-hot pick of the last position and the output
    };
  },
  build: ({ inputs, tokens, name }) => {
    const layer = new LastToken({ name });
    return { out: symbolic(layer.apply([inputs.in, tokens]), name), layer }; // (B, T, D) -> (B, D)
  },
  layers: [LastToken],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return { init: `${self} = LastToken()`, forward: call(`${x}, keep`), modules: [lastTokenModule] };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: true },
  migrations: [],
});
