import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { int, select } from '../params/spec';
import { ShapeError, fmt, type PortValue } from './shape';
import { defineNode, type NodeInfo } from './define';
import { graphSeqLen } from './token-input';
import { linear, unary } from './pytorch';

/** Width of the last axis of a sequence [T, D] or vector [D]. */
export function lastAxis(x: PortValue, node: string): number {
  if (x.type === 'sequence' && x.shape.length === 2) return x.shape[1];
  if (x.type === 'vector' && x.shape.length === 1) return x.shape[0];
  throw new ShapeError('in', `${node}: expected a sequence [T, D] or a vector [D], got ${x.type} ${fmt(x.shape)}`);
}

/** FLOPs per token of work done once per example on a vector: spread over the T tokens of the window. */
export function perToken(flopsPerExample: number, x: PortValue, nodesOfType: (type: string) => NodeInfo[]): number {
  if (x.type === 'sequence') return flopsPerExample / x.shape[0];
  return flopsPerExample / (graphSeqLen(nodesOfType) ?? 1);
}

/** model.py's expression for each Dense activation. */
const ACTIVATION: Record<string, (x: string) => string> = {
  linear: (x) => x,
  relu: (x) => `torch.relu(${x})`,
  gelu: (x) => `F.gelu(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
};

export const denseNode = defineNode({
  type: 'Dense',
  version: 1,
  label: 'Dense',
  category: 'layers',
  doc:
    'A fully connected layer: every output number is a weighted sum of all input numbers, plus a bias, ' +
    'then an activation. On a sequence it acts on each position separately with the same weights. ' +
    'It is the universal building block, but it mixes features only, never positions, and costs in × units parameters.',
  inputs: { in: ['sequence', 'vector'] },
  params: {
    units: int({ default: 128, min: 1, max: 16384, doc: 'Output width (the new last axis).' }),
    activation: select({
      default: 'relu',
      options: ['linear', 'relu', 'gelu', 'tanh'],
      doc: 'Non-linearity after the weighted sum; linear means none.',
    }),
  },
  keyParams: ['units', 'activation'],
  infer: ({ inputs, params }) => {
    const x = inputs.in;
    lastAxis(x, 'Dense');
    return { type: x.type, shape: [...x.shape.slice(0, -1), params.units] };
  },
  cost: ({ inputs, params, out, nodesOfType }) => {
    const d = lastAxis(inputs.in, 'Dense');
    const rows = inputs.in.type === 'sequence' ? inputs.in.shape[0] : 1;
    return {
      params: d * params.units + params.units,
      flopsPerToken: perToken(2 * d * params.units * rows, inputs.in, nodesOfType),
      activations: out.shape.reduce((a, b) => a * b, 1),
    };
  },
  build: ({ inputs, params, name }) => {
    const layer = tf.layers.dense({ units: params.units, activation: params.activation, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, …, D) → (B, …, units)
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => {
      const { self, shape, x, d } = unary(ctx, n);
      const act = ACTIVATION[String(n.params.activation)];
      if (!act) throw new Error(`model.py: Dense "${n.id}" has an unknown activation ${String(n.params.activation)}`);
      return {
        init: `${self} = nn.Linear(${d}, ${n.params.units})`,
        forward: `${n.py} = ${act(`${self}(${x})`)}  # ${shape}`,
      };
    },
    weights: (n) => linear(n.py, n.layer),
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
