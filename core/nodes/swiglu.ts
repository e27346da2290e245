import * as tf from '@tensorflow/tfjs';
import { int } from '../params/spec';
import { defineNode } from './define';
import { unary, type PyModule, type WeightRef } from './pytorch';
import { ShapeError, fmt } from './shape';
import { symbolic } from './symbolic';

/** model.py's SwiGLU, the same three bias-free projections as the tf.js build. */
export const swiGluModule: PyModule = {
  name: 'SwiGLU',
  source: String.raw`class SwiGLU(nn.Module):
    """LLaMA's feed-forward: down(silu(gate(x)) * up(x)), D -> hidden -> D, no biases."""

    def __init__(self, d, hidden):
        super().__init__()
        self.gate = nn.Linear(d, hidden, bias=False)
        self.up = nn.Linear(d, hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x):  # (B, T, D)
        return self.down(F.silu(self.gate(x)) * self.up(x))  # (B, T, H) * (B, T, H) -> (B, T, D)
`,
};

/** The tf.js layers of a SwiGLU node are `<layer>_gate`, `<layer>_up` and `<layer>_down`; each holds one kernel. */
const kernel = (key: string, layer: string): WeightRef => ({ key, layer, suffix: 'kernel', permute: [1, 0] });

export const swiGluNode = defineNode({
  type: 'SwiGLU',
  version: 1,
  label: 'SwiGLU feed-forward',
  category: 'layers',
  doc:
    'The feed-forward of LLaMA and most later LLMs: one projection, passed through SiLU, gates another elementwise, ' +
    'and a third projects back to D (down(silu(gate(x)) · up(x)), no biases). ' +
    'The gate lets each position choose which hidden features pass, which trains better than a plain GELU MLP of the same size; ' +
    'it has three matrices instead of two, so LLaMA uses hidden ≈ 8/3 × D to keep the parameter count of a 4 × D MLP.',
  inputs: { in: ['sequence'] },
  params: {
    hidden: int({ default: 172, min: 1, max: 16384, doc: 'Width of the gated middle layer (LLaMA: about 8/3 × D).' }),
  },
  keyParams: ['hidden'],
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `SwiGLU: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'sequence', shape: [...x.shape] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = inputs.in.shape;
    const h = params.hidden;
    return {
      params: 3 * d * h,
      flopsPerToken: 6 * d * h + h, // three matmuls of D × H, and the gating product
      activations: t * (4 * h + d), // gate pre- and post-SiLU, up, their product, and the output
    };
  },
  build: ({ inputs, params, name }) => {
    const d = inputs.in.shape[2];
    if (typeof d !== 'number') throw new Error(`SwiGLU "${name}": the input width is unknown`);
    const dense = (units: number, part: string, activation?: 'swish') =>
      tf.layers.dense({ units, useBias: false, activation, name: `${name}_${part}` });
    const gate = symbolic(dense(params.hidden, 'gate', 'swish').apply(inputs.in), name); // (B, T, H): silu(x W_gate)
    const up = symbolic(dense(params.hidden, 'up').apply(inputs.in), name); // (B, T, H)
    const gated = symbolic(tf.layers.multiply({ name: `${name}_mul` }).apply([gate, up]), name); // (B, T, H)
    return { out: symbolic(dense(d, 'down').apply(gated), name) }; // (B, T, H) -> (B, T, D)
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      return { init: `${self} = SwiGLU(${d}, hidden=${n.params.hidden})`, forward: call(x), modules: [swiGluModule] };
    },
    weights: ({ py, layer }) => [
      kernel(`${py}.gate.weight`, `${layer}_gate`),
      kernel(`${py}.up.weight`, `${layer}_up`),
      kernel(`${py}.down.weight`, `${layer}_down`),
    ],
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
