import { symbolicList } from '../compile/symbolic';
import { TransformerBlock, transformerBlockParamCount } from '../layers/transformer-block';
import { bool, float, int, select } from '../params/spec';
import { defineNode } from './define';
import { attentionActivations, attentionFlopsPerToken, attentionInput } from './self-attention';

export const transformerBlockNode = defineNode({
  type: 'TransformerBlock',
  version: 1,
  label: 'Transformer block',
  category: 'transformer',
  doc:
    'One GPT layer: self-attention lets every token gather information from the tokens it may see, then a feed-forward MLP ' +
    '(D → ffMultiplier·D → D, GELU) processes each position, each with a residual connection and a LayerNorm. ' +
    'Stacking blocks is how transformers get deep; they train in parallel over T and reach any earlier token in one step, ' +
    'but attention costs O(T²) in time and memory. Pre-norm (GPT-2) trains more stably when deep; post-norm is the original 2017 layout.',
  inputs: { in: ['sequence'] },
  params: {
    heads: int({ default: 4, min: 1, max: 64, doc: 'Number of attention heads; D must be divisible by it.' }),
    ffMultiplier: int({ default: 4, min: 1, max: 16, doc: 'Width of the MLP as a multiple of D (GPT uses 4).' }),
    causal: bool({
      default: true,
      doc: 'On: each position sees only itself and earlier positions (needed for next-token prediction).',
    }),
    dropout: float({
      default: 0,
      min: 0,
      max: 0.9,
      step: 0.05,
      doc: 'Dropout on attention weights and on both residual branches while training.',
    }),
    norm: select({
      default: 'pre',
      options: ['pre', 'post'],
      doc: 'LayerNorm before each sublayer (pre, GPT-2) or after each residual sum (post).',
    }),
  },
  keyParams: ['heads', 'ffMultiplier', 'causal'],
  infer: ({ inputs, params }) => {
    const [t, d] = attentionInput('TransformerBlock', inputs.in, params.heads);
    return { type: 'sequence', shape: [t, d] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = attentionInput('TransformerBlock', inputs.in, params.heads);
    const hidden = params.ffMultiplier * d;
    return {
      params: transformerBlockParamCount(d, params.ffMultiplier), // attention 4D² + 4D, MLP 2·D·F + F + D, LayerNorms 4D
      flopsPerToken: attentionFlopsPerToken(t, d) + 4 * d * hidden, // attention, then two D×F matmuls
      activations: attentionActivations(t, d, params.heads) + t * (2 * hidden + 4 * d), // MLP hidden pre/post GELU, 2 LayerNorms, 2 residual sums
    };
  },
  build: ({ inputs, params, tokens, name }) => {
    const layer = new TransformerBlock({
      numHeads: params.heads,
      ffMultiplier: params.ffMultiplier,
      causal: params.causal,
      dropout: params.dropout,
      norm: params.norm,
      name,
    });
    const [out, attention] = symbolicList(layer.apply([inputs.in, tokens]), name); // (B, T, D), (B, heads, T, T)
    if (!out || !attention) throw new Error(`TransformerBlock "${name}": expected [y, probs] from the layer`);
    return { out, attention, layer };
  },
  migrations: [],
});
