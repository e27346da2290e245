import { symbolic } from '../compile/symbolic';
import { PositionalEncoding } from '../layers/positional-encoding';
import { select } from '../params/spec';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

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
  migrations: [],
});
