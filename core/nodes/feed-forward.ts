import * as tf from '@tensorflow/tfjs';
import { symbolic } from '../compile/symbolic';
import { int, select } from '../params/spec';
import { ShapeError, fmt } from '../shapes/shape';
import { defineNode } from './define';

export const feedForwardNode = defineNode({
  type: 'FeedForward',
  version: 1,
  label: 'Feed-forward',
  category: 'layers',
  doc:
    'The MLP of a transformer: widen each position to `hidden` numbers, apply a non-linearity, and project back to D. ' +
    'It is where most of a transformer\'s parameters and "knowledge" live. Each position is processed on its own, ' +
    'so it cannot move information between tokens; pair it with attention or an RNN for that.',
  inputs: { in: ['sequence'] },
  params: {
    hidden: int({ default: 256, min: 1, max: 16384, doc: 'Width of the middle layer (often 4 × D).' }),
    activation: select({ default: 'gelu', options: ['gelu', 'relu'], doc: 'Non-linearity in the middle.' }),
  },
  keyParams: ['hidden'],
  infer: ({ inputs }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `FeedForward: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'sequence', shape: [...x.shape] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = inputs.in.shape;
    const h = params.hidden;
    return {
      params: d * h + h + h * d + d,
      flopsPerToken: 4 * d * h, // two matmuls of D × H
      activations: t * (2 * h + d), // pre- and post-activation hidden, and the output
    };
  },
  build: ({ inputs, params, name }) => {
    const d = inputs.in.shape[2];
    if (typeof d !== 'number') throw new Error(`FeedForward "${name}": the input width is unknown`);
    const up = tf.layers.dense({ units: params.hidden, activation: params.activation, name: `${name}_up` });
    const down = tf.layers.dense({ units: d, name: `${name}_down` });
    const h = symbolic(up.apply(inputs.in), name); // (B, T, D) → (B, T, H)
    return { out: symbolic(down.apply(h), name) }; // (B, T, H) → (B, T, D)
  },
  migrations: [],
});
