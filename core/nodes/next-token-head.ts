import * as tf from '@tensorflow/tfjs';
import { symbolic } from './symbolic';
import { TiedEmbedding } from '../layers/tied-embedding';
import { bool } from '../params/spec';
import { ShapeError, fmt, type PortValue } from './shape';
import { defineNode, type NodeInfo } from './define';
import { linear, unary } from './pytorch';

function sequenceWidth(x: PortValue, node: string): number {
  if (x.type !== 'sequence' || x.shape.length !== 2) {
    throw new ShapeError('in', `${node}: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
  }
  return x.shape[1];
}

/** The one Embedding a tied head reuses; a clear error when there is none or several. */
function tiedEmbeddings(nodesOfType: (type: string) => NodeInfo[]): NodeInfo {
  const embs = nodesOfType('Embedding');
  if (embs.length === 0) {
    throw new ShapeError(
      'in',
      "NextTokenHead: tieEmbedding reuses the Embedding's matrix, and the graph has no Embedding (was it deleted?): add one or turn tieEmbedding off",
    );
  }
  if (embs.length !== 1) {
    throw new ShapeError(
      'in',
      `NextTokenHead: tieEmbedding needs exactly one Embedding in the graph, found ${embs.length}`,
    );
  }
  return embs[0];
}

/** The tied Embedding, which must also be as wide as the head's input. */
function tiedEmbedding(nodesOfType: (type: string) => NodeInfo[], d: number): NodeInfo {
  const emb = tiedEmbeddings(nodesOfType);
  const dim = emb.params.dim;
  if (dim !== d) {
    throw new ShapeError(
      'in',
      `NextTokenHead: tieEmbedding needs the Embedding "${emb.id}" dim ${String(dim)} to equal the incoming width ${d}`,
    );
  }
  return emb;
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
  checkGraph: ({ params, nodesOfType }) => {
    if (params.tieEmbedding) tiedEmbeddings(nodesOfType);
  },
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
  layers: [TiedEmbedding],
  pytorch: {
    code: (ctx, n) => {
      const { self, shape, x, d, call } = unary(ctx, n);
      if (n.params.tieEmbedding !== true) return { init: `${self} = nn.Linear(${d}, V)`, forward: call(x) };
      const emb = ctx.plan.nodes.find((m) => m.type === 'Embedding');
      if (!emb) throw new Error(`model.py: NextTokenHead "${n.id}" is tied but the plan has no Embedding`);
      return {
        forward: `${n.py} = F.linear(${x}, self.${emb.py}.weight)  # ${shape}: tied, x @ ${emb.py}.weight^T, no bias`,
      };
    },
    weights: (n) => (n.params.tieEmbedding === true ? [] : linear(n.py, n.layer)),
  },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
