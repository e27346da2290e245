import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { lastAxis } from './dense';
import { noWeights, shapeComment } from './pytorch';

export const concatNode = defineNode({
  type: 'Concat',
  version: 1,
  label: 'Concat',
  category: 'layers',
  doc:
    'Joins two inputs side by side along the last axis: [T, D1] and [T, D2] become [T, D1 + D2]. ' +
    'Useful to combine two views of the text (e.g. two encoders, or features from different branches). ' +
    'It has no parameters, but widens everything downstream, which costs parameters there.',
  inputs: { a: ['sequence', 'vector'], b: ['sequence', 'vector'] },
  params: {},
  infer: ({ inputs }) => {
    const { a, b } = inputs;
    lastAxis(a, 'Concat');
    lastAxis(b, 'Concat');
    if (a.type !== b.type)
      throw new ShapeError('b', `Concat: a is a ${a.type} ${fmt(a.shape)} but b is a ${b.type} ${fmt(b.shape)}`);
    if (a.type === 'sequence' && a.shape[0] !== b.shape[0]) {
      throw new ShapeError(
        'b',
        `Concat: a has ${a.shape[0]} positions (${fmt(a.shape)}) but b has ${b.shape[0]} (${fmt(b.shape)})`,
      );
    }
    const last = a.shape.length - 1;
    return { type: a.type, shape: [...a.shape.slice(0, last), a.shape[last] + b.shape[last]] };
  },
  cost: ({ out }) => ({ params: 0, flopsPerToken: 0, activations: out.shape.reduce((x, y) => x * y, 1) }),
  build: ({ inputs, name }) => {
    const layer = tf.layers.concatenate({ axis: -1, name });
    return { out: symbolic(layer.apply([inputs.a, inputs.b]), name), layer }; // (B, …, D1 + D2)
  },
  layers: [],
  pytorch: {
    code: (ctx, n) => {
      const [a, b] = [ctx.valueOf(n.inputs.a ?? ''), ctx.valueOf(n.inputs.b ?? '')];
      return { forward: `${n.py} = torch.cat([${a}, ${b}], dim=-1)  # ${shapeComment(n.out)}` };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
