import { symbolic } from '../compile/symbolic';
import { BagOfWords } from '../layers/bag-of-words';
import { select } from '../params/spec';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

export const bagOfWordsNode = defineNode({
  type: 'BagOfWords',
  version: 1,
  label: 'Bag of words',
  category: 'bag-of-words',
  doc:
    'Turns a text into one vector of V numbers: how often each vocabulary entry occurs (or whether it occurs at all), padding ignored. ' +
    'It has no parameters and is a strong, fast baseline for classifying topics or sentiment with a Dense layer on top. ' +
    'It throws word order away entirely ("not good" and "good, not" look the same) and its width grows with the vocabulary.',
  inputs: { in: ['tokens'] },
  params: {
    mode: select({
      default: 'count',
      options: ['count', 'binary'],
      doc: 'Count: how many times each token occurs. Binary: 1 if it occurs at all.',
    }),
  },
  keyParams: ['mode'],
  infer: ({ inputs, binding }) => {
    const x = inputs.in;
    if (x.type !== 'tokens' || x.shape.length !== 1) {
      throw new ShapeError('in', `BagOfWords: expected token ids [T], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'vector', shape: [binding.vocabSize] };
  },
  cost: ({ binding }) => ({
    params: 0,
    flopsPerToken: 1, // one increment per token
    activations: binding.vocabSize,
  }),
  build: ({ inputs, params, binding, name }) => {
    const layer = new BagOfWords({ vocabSize: binding.vocabSize, binary: params.mode === 'binary', name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T) -> (B, V)
  },
  migrations: [],
});
