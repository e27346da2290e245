import { int } from '../params/spec';
import { defineNode, type NodeInfo } from './define';
import { noWeights } from './pytorch';

/** T of the graph's TokenInput, when there is exactly one (cost of vector nodes is spread over T tokens). */
export function graphSeqLen(nodesOfType: (type: string) => NodeInfo[]): number | undefined {
  const inputs = nodesOfType('TokenInput');
  const t = inputs.length === 1 ? inputs[0].params.seqLen : undefined;
  return typeof t === 'number' && t > 0 ? t : undefined;
}

export const tokenInputNode = defineNode({
  type: 'TokenInput',
  version: 1,
  label: 'Token input',
  category: 'input',
  doc:
    'Where text enters the model: a window of T token ids, padded with id 0 when the text is shorter. ' +
    'A longer window lets the model use more context, but costs more memory and time per example ' +
    '(linearly for RNNs, quadratically for attention).',
  inputs: {},
  params: {
    seqLen: int({
      default: 64,
      min: 1,
      max: 4096,
      doc: 'T: how many tokens the model sees at once (the context window).',
    }),
  },
  keyParams: ['seqLen'],
  infer: ({ params }) => ({ type: 'tokens', shape: [params.seqLen] }),
  cost: () => ({ params: 0, flopsPerToken: 0, activations: 0 }),
  // The compiler creates the tf.input (B, T) int32 and hands it to every node as `tokens`.
  build: ({ tokens }) => ({ out: tokens }),
  layers: [],
  pytorch: { code: () => ({ value: 'tokens' }), weights: noWeights },
  capabilities: { attentionMaps: false, masksPadding: false },
  migrations: [],
});
