import { symbolicList } from './symbolic';
import { TransformerBlock, transformerBlockParamCount } from '../layers/transformer-block';
import { bool, float, int, select } from '../params/spec';
import type { Composite, InnerEdge, InnerNode } from './composite';
import { defineNode } from './define';
import { attentionActivations, attentionFlopsPerToken, attentionInput } from './self-attention';
import { linear, plain, pyBool, pyFloat, pyStr, unary, type PyModule } from './pytorch';
import { selfAttentionModule } from './self-attention';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const transformerBlockModule: PyModule = {
  name: 'TransformerBlock',
  source: String.raw`class TransformerBlock(nn.Module):
    """A GPT block over x (B, T, D). Pre-norm: x + attn(ln1(x)), then + mlp(ln2(.)). Post-norm: ln1(x + attn(x)),
    then ln2(. + mlp(.)). The MLP is D -> ff_mult*D -> D with exact (erf) GELU; LayerNorm epsilon 1e-5."""

    def __init__(self, d, heads, ff_mult, causal, dropout, norm):
        super().__init__()
        self.norm = norm
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = SelfAttention(d, heads, causal, dropout)
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.fc1 = nn.Linear(d, ff_mult * d)
        self.fc2 = nn.Linear(ff_mult * d, d)
        self.drop = nn.Dropout(dropout)

    def mlp(self, x):  # (B, T, D)
        return self.drop(self.fc2(F.gelu(self.fc1(x))))  # (B, T, D) -> (B, T, F) -> (B, T, D)

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        if self.norm == "pre":
            x = x + self.attn(self.ln1(x), keep)  # (B, T, D)
            return x + self.mlp(self.ln2(x))  # (B, T, D)
        x = self.ln1(x + self.attn(x, keep))  # (B, T, D)
        return self.ln2(x + self.mlp(x))  # (B, T, D)
`,
  needs: [selfAttentionModule],
};

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
  layers: [TransformerBlock],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      const p = n.params;
      const args = `heads=${p.heads}, ff_mult=${p.ffMultiplier}, causal=${pyBool(p.causal)}, dropout=${pyFloat(p.dropout)}, norm=${pyStr(p.norm)}`;
      return {
        init: `${self} = TransformerBlock(${d}, ${args})`,
        forward: call(`${x}, keep`),
        modules: [transformerBlockModule],
      };
    },
    weights: ({ py, layer }) => [
      plain(`${py}.ln1.weight`, layer, 'ln1_gamma'),
      plain(`${py}.ln1.bias`, layer, 'ln1_beta'),
      ...linear(`${py}.attn.qkv`, layer, 'qkv_kernel', 'qkv_bias'),
      ...linear(`${py}.attn.out`, layer, 'out_kernel', 'out_bias'),
      plain(`${py}.ln2.weight`, layer, 'ln2_gamma'),
      plain(`${py}.ln2.bias`, layer, 'ln2_beta'),
      ...linear(`${py}.fc1`, layer, 'fc1_kernel', 'fc1_bias'),
      ...linear(`${py}.fc2`, layer, 'fc2_kernel', 'fc2_bias'),
    ],
  },
  capabilities: { attentionMaps: true, masksPadding: true },
  expand: ({ params, inputs }) => {
    const [, d] = attentionInput('TransformerBlock', inputs.in, params.heads);
    return transformerBlockParts(params, d);
  },
  migrations: [],
});

/**
 * The primitives a TransformerBlock over width `dim` is (layers/transformer-block.ts): pre-norm x + attn(ln1(x)), then
 * h + drop(ff(ln2(h))); post-norm ln1(x + attn(x)), then ln2(h + drop(ff(h))). SelfAttention drops its
 * weights and output like the block does; the MLP's dropout becomes a Dropout node (absent at rate 0).
 */
export function transformerBlockParts(
  p: {
    heads: number;
    ffMultiplier: number;
    causal: boolean;
    dropout: number;
    norm: string;
  },
  dim: number,
): Composite {
  const pre = p.norm !== 'post';
  const nodes: InnerNode[] = [
    { key: 'ln1', type: 'LayerNorm', params: {} },
    { key: 'attn', type: 'SelfAttention', params: { heads: p.heads, causal: p.causal, dropout: p.dropout } },
    { key: 'add1', type: 'Add', params: {} },
    { key: 'ln2', type: 'LayerNorm', params: {} },
    { key: 'ff', type: 'FeedForward', params: { hidden: p.ffMultiplier * dim, activation: 'gelu' } },
    ...(p.dropout > 0 ? [{ key: 'drop', type: 'Dropout', params: { rate: p.dropout } }] : []),
    { key: 'add2', type: 'Add', params: {} },
  ];
  const x = { input: 'in' };
  const n = (node: string) => ({ node });
  const to = (node: string, port = 'in') => ({ node, port });
  const ffOut = p.dropout > 0 ? 'drop' : 'ff';
  const edges: InnerEdge[] = pre
    ? [
        { from: x, to: to('ln1') },
        { from: n('ln1'), to: to('attn') },
        { from: x, to: to('add1', 'a') },
        { from: n('attn'), to: to('add1', 'b') },
        { from: n('add1'), to: to('ln2') },
        { from: n('ln2'), to: to('ff') },
        { from: n('add1'), to: to('add2', 'a') },
        { from: n(ffOut), to: to('add2', 'b') },
      ]
    : [
        { from: x, to: to('attn') },
        { from: x, to: to('add1', 'a') },
        { from: n('attn'), to: to('add1', 'b') },
        { from: n('add1'), to: to('ln1') },
        { from: n('ln1'), to: to('ff') },
        { from: n('ln1'), to: to('add2', 'a') },
        { from: n(ffOut), to: to('add2', 'b') },
        { from: n('add2'), to: to('ln2') },
      ];
  if (p.dropout > 0) edges.push({ from: n('ff'), to: to('drop') });
  // Post-norm computes add1 → ln1 and add2 → ln2, so the LayerNorms come after their sums.
  const order = pre ? nodes : reorder(nodes, ['attn', 'add1', 'ln1', 'ff', 'drop', 'add2', 'ln2']);
  return {
    nodes: order,
    edges,
    output: pre ? 'add2' : 'ln2',
    weights: {
      ln1: ['ln1_gamma', 'ln1_beta'],
      attn: ['qkv_kernel', 'qkv_bias', 'out_kernel', 'out_bias'],
      ln2: ['ln2_gamma', 'ln2_beta'],
      ff: ['fc1_kernel', 'fc1_bias', 'fc2_kernel', 'fc2_bias'],
    },
  };
}

const reorder = (nodes: InnerNode[], keys: string[]): InnerNode[] =>
  keys.flatMap((k) => nodes.filter((node) => node.key === k));
