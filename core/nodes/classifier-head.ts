import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { perToken } from './dense';
import { linearHead } from './pytorch';

export const classifierHeadNode = defineNode({
  type: 'ClassifierHead',
  version: 1,
  label: 'Classifier head',
  category: 'heads',
  head: 'classify',
  doc:
    'Turns one vector for the whole text into C scores, one per class (e.g. positive / negative). ' +
    'It is a single Dense layer; everything that reads the text happens before it, usually a pooling step that ' +
    'squeezes the sequence into one vector. Cheap, but only as good as the summary vector it is given.',
  inputs: { in: ['vector'] },
  params: {},
  infer: ({ inputs, binding }) => {
    const x = inputs.in;
    if (x.type !== 'vector' || x.shape.length !== 1) {
      throw new ShapeError(
        'in',
        `ClassifierHead: expected a vector [D] (pool the sequence first), got ${x.type} ${fmt(x.shape)}`,
      );
    }
    return { type: 'logits', shape: [binding.numClasses] };
  },
  cost: ({ inputs, binding, nodesOfType }) => {
    const d = inputs.in.shape[0];
    const c = binding.numClasses;
    return { params: d * c + c, flopsPerToken: perToken(2 * d * c, inputs.in, nodesOfType), activations: c };
  },
  build: ({ inputs, binding, name }) => {
    const layer = tf.layers.dense({ units: binding.numClasses, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, D) → (B, C)
  },
  layers: [],
  pytorch: linearHead('C'),
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
