import { FusedLayerNormalization } from '../layers/fused-norm';
import { symbolic } from './symbolic';
import { defineNode } from './define';
import { lastAxis } from './dense';
import { plain, unary } from './pytorch';

export const layerNormNode = defineNode({
  type: 'LayerNorm',
  version: 1,
  label: 'Layer norm',
  category: 'layers',
  doc:
    "Rescales each position's vector to mean 0 and variance 1, then applies a learned scale and shift. " +
    'It keeps numbers in a steady range so deep stacks (transformers) train stably with larger learning rates. ' +
    'It adds only 2 × D parameters, but a little compute at every position.',
  inputs: { in: ['sequence', 'vector'] },
  params: {},
  infer: ({ inputs }) => {
    lastAxis(inputs.in, 'LayerNorm');
    return { type: inputs.in.type, shape: [...inputs.in.shape] };
  },
  cost: ({ inputs, out }) => {
    const d = lastAxis(inputs.in, 'LayerNorm');
    return { params: 2 * d, flopsPerToken: 8 * d, activations: out.shape.reduce((a, b) => a * b, 1) };
  },
  build: ({ inputs, name }) => {
    const layer = new FusedLayerNormalization({ axis: -1, epsilon: 1e-5, name }); // tf.js' layer, fused
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // same shape
  },
  layers: [FusedLayerNormalization],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      return { init: `${self} = nn.LayerNorm(${d}, eps=1e-5)`, forward: call(x) };
    },
    weights: (n) => [plain(`${n.py}.weight`, n.layer, 'gamma'), plain(`${n.py}.bias`, n.layer, 'beta')],
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
