import * as tf from '@tensorflow/tfjs';
import { symbolic } from '../compile/symbolic';
import { TiedEmbedding } from '../layers/tied-embedding';
import { bool } from '../params/spec';
import { ShapeError, fmt, type PortValue } from '../shapes/shape';
import { defineNode, type NodeInfo } from './define';

function sequenceWidth(x: PortValue, node: string): number {
  if (x.type !== 'sequence' || x.shape.length !== 2) {
    throw new ShapeError('in', `${node}: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
  }
  return x.shape[1];
}

/** The one Embedding a tied head reuses; a clear error when there is none, several, or the width differs. */
function tiedEmbedding(nodesOfType: (type: string) => NodeInfo[], d: number): NodeInfo {
  const embs = nodesOfType('Embedding');
  if (embs.length !== 1) {
    throw new ShapeError(
      'in',
      `NextTokenHead: tieEmbedding needs exactly one Embedding in the graph, found ${embs.length}`,
    );
  }
  const dim = embs[0].params.dim;
  if (dim !== d) {
    throw new ShapeError(
      'in',
      `NextTokenHead: tieEmbedding needs the Embedding "${embs[0].id}" dim ${String(dim)} to equal the incoming width ${d}`,
    );
  }
  return embs[0];
}

export const nextTokenHeadNode = defineNode({
  type: 'NextTokenHead',
  version: 1,
  label: 'Next-token head',
  category: 'heads',
  head: 'next-token',
  doc:
    'Turns the vector at every position into V scores, one per vocabulary entry: the guess for the next token. ' +
    'The loss is taken at every position, so one window of T tokens gives T predictions. ' +
    'Tying reuses the Embedding matrix for this projection, saving V × D parameters and often helping small models, ' +
    'but it forces the last width to equal the embedding width.',
  inputs: { in: ['sequence'] },
  params: {
    tieEmbedding: bool({
      default: false,
      doc: "Reuse the graph's Embedding matrix as the output projection (no extra weights).",
    }),
  },
  keyParams: ['tieEmbedding'],
  infer: ({ inputs, params, binding, nodesOfType }) => {
    const d = sequenceWidth(inputs.in, 'NextTokenHead');
    if (params.tieEmbedding) tiedEmbedding(nodesOfType, d);
    return { type: 'logits', shape: [inputs.in.shape[0], binding.vocabSize] };
  },
  cost: ({ inputs, params, binding, out }) => {
    const d = sequenceWidth(inputs.in, 'NextTokenHead');
    const v = binding.vocabSize;
    return {
      params: params.tieEmbedding ? 0 : d * v + v, // tied: the Embedding already counts V × D; no bias
      flopsPerToken: 2 * d * v,
      activations: out.shape[0] * v,
    };
  },
  build: ({ inputs, params, binding, name, layerOf, nodesOfType }) => {
    if (!params.tieEmbedding) {
      const layer = tf.layers.dense({ units: binding.vocabSize, name });
      return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T, D) → (B, T, V)
    }
    const d = inputs.in.shape[2];
    if (typeof d !== 'number') throw new Error(`NextTokenHead "${name}": the input width is unknown`);
    const emb = tiedEmbedding(nodesOfType, d);
    const layer = layerOf(emb.id);
    if (!(layer instanceof TiedEmbedding)) {
      throw new Error(`NextTokenHead "${name}": Embedding "${emb.id}" was not built as a TiedEmbedding`);
    }
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T, D) · Eᵀ → (B, T, V)
  },
  migrations: [],
});
