import { symbolic } from '../compile/symbolic';
import { MaskedMeanPool } from '../layers/masked-mean-pool';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

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
  migrations: [],
});
