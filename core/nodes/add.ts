import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { ShapeError, fmt, sameShape } from './shape';
import { defineNode } from './define';
import { lastAxis } from './dense';
import { noWeights, shapeComment } from './pytorch';

export const addNode = defineNode({
  type: 'Add',
  version: 1,
  label: 'Add',
  category: 'layers',
  doc:
    'Adds two inputs of the same shape, number by number. Used for residual connections (x + f(x)), ' +
    'which let gradients flow straight through deep stacks and let each block learn only a correction. ' +
    'Both inputs must have exactly the same shape; it has no parameters.',
  inputs: { a: ['sequence', 'vector'], b: ['sequence', 'vector'] },
  params: {},
  infer: ({ inputs }) => {
    const { a, b } = inputs;
    if (a.type !== b.type || !sameShape(a.shape, b.shape)) {
      throw new ShapeError('b', `Add: a is ${fmt(a.shape)} but b is ${fmt(b.shape)}`);
    }
    lastAxis(a, 'Add');
    return { type: a.type, shape: [...a.shape] };
  },
  cost: ({ inputs, out }) => ({
    params: 0,
    flopsPerToken: lastAxis(inputs.a, 'Add'),
    activations: out.shape.reduce((x, y) => x * y, 1),
  }),
  build: ({ inputs, name }) => {
    const layer = tf.layers.add({ name });
    return { out: symbolic(layer.apply([inputs.a, inputs.b]), name), layer }; // a + b, same shape
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => ({
      forward: `${n.py} = ${ctx.valueOf(n.inputs.a ?? '')} + ${ctx.valueOf(n.inputs.b ?? '')}  # ${shapeComment(n.out)}`,
    }),
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
