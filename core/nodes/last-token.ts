import { symbolic } from '../compile/symbolic';
import { LastToken } from '../layers/last-token';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

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
  migrations: [],
});
