import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { linearHead } from './pytorch';

export const taggerHeadNode = defineNode({
  type: 'TaggerHead',
  version: 1,
  label: 'Tagger head',
  category: 'heads',
  head: 'tag',
  doc:
    'Gives every token its own C scores, one per tag (e.g. noun, verb, person, place). ' +
    'The same small Dense layer runs at each position, so what a tag can depend on is decided by the layers before it: ' +
    'a bidirectional RNN or non-causal attention lets each tag see both sides of the word.',
  inputs: { in: ['sequence'] },
  params: {},
  infer: ({ inputs, binding }) => {
    const x = inputs.in;
    if (x.type !== 'sequence' || x.shape.length !== 2) {
      throw new ShapeError('in', `TaggerHead: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'logits', shape: [x.shape[0], binding.numClasses] };
  },
  cost: ({ inputs, binding }) => {
    const [t, d] = inputs.in.shape;
    const c = binding.numClasses;
    return { params: d * c + c, flopsPerToken: 2 * d * c, activations: t * c };
  },
  build: ({ inputs, binding, name }) => {
    const layer = tf.layers.dense({ units: binding.numClasses, name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T, D) → (B, T, C)
  },
  layers: [],
  pytorch: linearHead('C'),
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
