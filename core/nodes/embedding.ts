import * as tf from '@tensorflow/tfjs';
import { TiedEmbedding } from '../layers/tied-embedding';
import { int } from '../params/spec';
import { ShapeError } from './shape';
import { defineNode, type NodeInfo } from './define';
import { symbolic } from './symbolic';
import { plain, unary } from './pytorch';

/** True when a NextTokenHead in the graph asks to reuse the Embedding matrix as its output projection. */
export const wantsTiedEmbedding = (nodesOfType: (type: string) => NodeInfo[]): boolean =>
  nodesOfType('NextTokenHead').some((h) => h.params.tieEmbedding === true);

export const embeddingNode = defineNode({
  type: 'Embedding',
  version: 1,
  label: 'Embedding',
  category: 'embedding',
  doc:
    'Turns each token id into a learned vector of `dim` numbers (a lookup table of V rows). ' +
    'Tokens used in similar contexts end up with similar vectors. It is cheap to run (a lookup, no multiply), ' +
    'but holds V × dim parameters, which dominates small models with a large vocabulary. ' +
    'On its own it knows nothing about word order: add positions or a recurrent/attention layer.',
  inputs: { in: ['tokens'] },
  params: {
    dim: int({ default: 64, min: 1, max: 4096, doc: 'D: numbers per token vector.' }),
  },
  keyParams: ['dim'],
  infer: ({ inputs, params }) => {
    const x = inputs.in;
    if (x.shape.length !== 1)
      throw new ShapeError('in', `Embedding: expected token ids [T], got [${x.shape.join(', ')}]`);
    return { type: 'sequence', shape: [x.shape[0], params.dim] };
  },
  cost: ({ params, binding, out }) => ({
    params: binding.vocabSize * params.dim,
    flopsPerToken: 0, // a table lookup
    activations: out.shape[0] * params.dim,
  }),
  build: ({ inputs, params, binding, name, nodesOfType }) => {
    const args = { inputDim: binding.vocabSize, outputDim: params.dim, name };
    // A tied head applies this same layer a second time as its output projection.
    const layer = wantsTiedEmbedding(nodesOfType) ? new TiedEmbedding(args) : tf.layers.embedding(args);
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T) → (B, T, D)
  },
  layers: [TiedEmbedding],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return { init: `${self} = nn.Embedding(V, ${n.params.dim})`, forward: call(x) };
    },
    weights: (n) => [plain(`${n.py}.weight`, n.layer, 'embeddings')],
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
