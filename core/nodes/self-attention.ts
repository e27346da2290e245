import { symbolicList } from '../compile/symbolic';
import { attentionParamCount } from '../layers/attention';
import { MultiHeadSelfAttention } from '../layers/multi-head-self-attention';
import { bool, float, int } from '../params/spec';
import { ShapeError, fmt, type PortValue } from '../shapes/shape';
import { defineNode } from './define';

/** [T, D] of a sequence input whose D splits evenly into `heads`; throws a ShapeError naming the numbers otherwise. */
export function attentionInput(type: string, x: PortValue, heads: number): [number, number] {
  const [t, d] = x.shape;
  if (x.type !== 'sequence' || t === undefined || d === undefined || x.shape.length !== 2) {
    throw new ShapeError('in', `${type}: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
  }
  if (d % heads !== 0) throw new ShapeError('in', `${type}: dim ${d} is not divisible by heads ${heads}`);
  return [t, d];
}

/** Floats kept for backward by one attention: q, k, v, context and output (5·T·D) plus scores and probabilities (2·heads·T²). */
export const attentionActivations = (t: number, d: number, heads: number): number => 5 * t * d + 2 * heads * t * t;

/** Per token: q/k/v and output projections (8·D²), then scores and the weighted sum over T keys (4·T·D). */
export const attentionFlopsPerToken = (t: number, d: number): number => 8 * d * d + 4 * t * d;

export const selfAttentionNode = defineNode({
  type: 'SelfAttention',
  version: 1,
  label: 'Self-attention',
  category: 'attention',
  doc:
    'Every position builds a query, compares it with the keys of all positions it may see, and takes a weighted mix of their values; ' +
    'several heads do this in parallel, each free to track a different relation. ' +
    'It sees every pair of tokens in one step and runs in parallel over T, but its cost and memory grow as O(T²) with the text length. ' +
    'It knows nothing about word order on its own, so put positional encoding before it; causal hides later tokens, as a language model needs.',
  inputs: { in: ['sequence'] },
  params: {
    heads: int({ default: 4, min: 1, max: 64, doc: 'Number of attention heads; D must be divisible by it.' }),
    causal: bool({
      default: true,
      doc: 'On: each position sees only itself and earlier positions (needed for next-token prediction).',
    }),
    dropout: float({
      default: 0,
      min: 0,
      max: 0.9,
      step: 0.05,
      doc: 'Fraction of attention weights and outputs dropped while training.',
    }),
  },
  keyParams: ['heads', 'causal'],
  infer: ({ inputs, params }) => {
    const [t, d] = attentionInput('SelfAttention', inputs.in, params.heads);
    return { type: 'sequence', shape: [t, d] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = attentionInput('SelfAttention', inputs.in, params.heads);
    return {
      params: attentionParamCount(d), // D×3D + 3D (q, k, v) and D×D + D (output)
      flopsPerToken: attentionFlopsPerToken(t, d),
      activations: attentionActivations(t, d, params.heads),
    };
  },
  build: ({ inputs, params, tokens, name }) => {
    const layer = new MultiHeadSelfAttention({
      numHeads: params.heads,
      causal: params.causal,
      dropout: params.dropout,
      name,
    });
    const [out, attention] = symbolicList(layer.apply([inputs.in, tokens]), name); // (B, T, D), (B, heads, T, T)
    if (!out || !attention) throw new Error(`SelfAttention "${name}": expected [y, probs] from the layer`);
    return { out, attention, layer };
  },
  migrations: [],
});
