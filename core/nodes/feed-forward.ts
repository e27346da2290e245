import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { int, select } from '../params/spec';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { linear, pyStr, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const feedForwardModule: PyModule = {
  name: 'FeedForward',
  source: String.raw`class FeedForward(nn.Module):
    """Position-wise MLP: D -> hidden (GELU or ReLU) -> D."""

    def __init__(self, d, hidden, activation):
        super().__init__()
        self.up = nn.Linear(d, hidden)
        self.down = nn.Linear(hidden, d)
        self.activation = activation

    def forward(self, x):  # (B, T, D)
        h = self.up(x)  # (B, T, H)
        h = F.gelu(h) if self.activation == "gelu" else torch.relu(h)
        return self.down(h)  # (B, T, D)
`,
};

export const feedForwardNode = defineNode({
  type: 'FeedForward',
  version: 1,
  label: 'Feed-forward',
  category: 'layers',
  doc:
    'The MLP of a transformer: widen each position to `hidden` numbers, apply a non-linearity, and project back to D. ' +
    'It is where most of a transformer\'s parameters and "knowledge" live. Each position is processed on its own, ' +
    'so it cannot move information between tokens; pair it with attention or an RNN for that.',
  inputs: { in: ['sequence'] },
  params: {
    hidden: int({ default: 256, min: 1, max: 16384, doc: 'Width of the middle layer (often 4 × D).' }),
    activation: select({ default: 'gelu', options: ['gelu', 'relu'], doc: 'Non-linearity in the middle.' }),
  },
  keyParams: ['hidden'],
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `FeedForward: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'sequence', shape: [...x.shape] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = inputs.in.shape;
    const h = params.hidden;
    return {
      params: d * h + h + h * d + d,
      flopsPerToken: 4 * d * h, // two matmuls of D × H
      activations: t * (2 * h + d), // pre- and post-activation hidden, and the output
    };
  },
  build: ({ inputs, params, name }) => {
    const d = inputs.in.shape[2];
    if (typeof d !== 'number') throw new Error(`FeedForward "${name}": the input width is unknown`);
    const up = tf.layers.dense({ units: params.hidden, activation: params.activation, name: `${name}_up` });
    const down = tf.layers.dense({ units: d, name: `${name}_down` });
    const h = symbolic(up.apply(inputs.in), name); // (B, T, D) → (B, T, H)
    return { out: symbolic(down.apply(h), name) }; // (B, T, H) → (B, T, D)
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      return {
        init: `${self} = FeedForward(${d}, hidden=${n.params.hidden}, activation=${pyStr(n.params.activation)})`,
        forward: call(x),
        modules: [feedForwardModule],
      };
    },
    weights: ({ py, layer }) => [...linear(`${py}.up`, `${layer}_up`), ...linear(`${py}.down`, `${layer}_down`)],
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
