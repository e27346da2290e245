import { symbolic } from '../compile/symbolic';
import { MaskedMaxPool } from '../layers/masked-max-pool';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

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
  migrations: [],
});
