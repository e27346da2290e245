import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { float } from '../params/spec';
import { defineNode } from './define';
import { lastAxis } from './dense';
import { noWeights, pyFloat, unary } from './pytorch';

export const dropoutNode = defineNode({
  type: 'Dropout',
  version: 1,
  label: 'Dropout',
  category: 'layers',
  doc:
    'During training, zeroes a random fraction of the numbers (and scales the rest up); at prediction time it does nothing. ' +
    'This stops the model leaning on any single feature, which reduces overfitting on small datasets. ' +
    'Too high a rate slows learning; on large data it is often unnecessary.',
  inputs: { in: ['sequence', 'vector'] },
  params: {
    rate: float({ default: 0.1, min: 0, max: 0.9, step: 0.05, doc: 'Fraction of numbers dropped while training.' }),
  },
  keyParams: ['rate'],
  infer: ({ inputs }) => {
    lastAxis(inputs.in, 'Dropout');
    return { type: inputs.in.type, shape: [...inputs.in.shape] };
  },
  cost: ({ inputs, out }) => ({
    params: 0,
    flopsPerToken: lastAxis(inputs.in, 'Dropout'),
    activations: out.shape.reduce((a, b) => a * b, 1), // the mask
  }),
  build: ({ inputs, params, name }) => {
    const layer = tf.layers.dropout({ rate: params.rate, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // same shape
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return { init: `${self} = nn.Dropout(${pyFloat(n.params.rate)})`, forward: call(x) };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
