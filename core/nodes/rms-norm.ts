import { RMSNorm } from '../layers/rms-norm';
import { defineNode } from './define';
import { lastAxis } from './dense';
import { plain, unary, type PyModule } from './pytorch';
import { symbolic } from './symbolic';

/** ε inside the square root, as LLaMA's RMSNorm. */
const EPSILON = 1e-6;

/** model.py's RMSNorm (torch 1.13 has no nn.RMSNorm), the same formula as core/layers/rms-norm.ts. */
export const rmsNormModule: PyModule = {
  name: 'RMSNorm',
  source: String.raw`class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight over the last axis (LLaMA's norm: no mean subtracted, no bias)."""

    def __init__(self, d, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))  # (D,)

    def forward(self, x):  # (..., D)
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight  # (..., D)
`,
};

export const rmsNormNode = defineNode({
  type: 'RMSNorm',
  version: 1,
  label: 'RMS norm',
  category: 'layers',
  doc:
    "Divides each position's vector by its root mean square, then applies a learned scale: LayerNorm without " +
    'subtracting the mean or adding a shift. LLaMA and most later LLMs use it because it is cheaper and trains as stably. ' +
    'It adds D parameters; unlike LayerNorm it does not re-center, so a constant offset in the input passes through.',
  inputs: { in: ['sequence', 'vector'] },
  params: {},
  infer: ({ inputs }) => {
    lastAxis(inputs.in, 'RMSNorm');
    return { type: inputs.in.type, shape: [...inputs.in.shape] };
  },
  cost: ({ inputs, out }) => {
    const d = lastAxis(inputs.in, 'RMSNorm');
    return { params: d, flopsPerToken: 4 * d, activations: out.shape.reduce((a, b) => a * b, 1) };
  },
  build: ({ inputs, name }) => {
    const layer = new RMSNorm({ epsilon: EPSILON, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // same shape
  },
  layers: [RMSNorm],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      return { init: `${self} = RMSNorm(${d}, eps=${EPSILON})`, forward: call(x), modules: [rmsNormModule] };
    },
    weights: (n) => [plain(`${n.py}.weight`, n.layer, 'gamma')],
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
