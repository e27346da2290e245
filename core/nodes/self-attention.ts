import { symbolicList } from './symbolic';
import { attentionParamCount } from '../layers/attention';
import { MultiHeadSelfAttention } from '../layers/multi-head-self-attention';
import { bool, float, int } from '../params/spec';
import { ShapeError, fmt, type PortValue } from './shape';
import { defineNode } from './define';
import { linear, pyBool, pyFloat, unary, type PyModule } from './pytorch';

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

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const selfAttentionModule: PyModule = {
  name: 'SelfAttention',
  source: String.raw`class SelfAttention(nn.Module):
    """Multi-head self-attention over x (B, T, D). Padding keys are never attended and, when causal, neither are
    later positions. q, k and v come from one projection whose columns are [q | k | v], each split into heads."""

    def __init__(self, d, heads, causal, dropout=0.0, rope=False, t=0, kv_heads=None):
        super().__init__()
        assert d % heads == 0, f"dim {d} is not divisible by heads {heads}"
        self.heads, self.causal, self.rope = heads, causal, rope
        self.kv_heads = kv_heads or heads  # grouped-query attention: k and v heads, each shared by heads / kv_heads
        assert heads % self.kv_heads == 0, f"heads {heads} is not divisible by kv_heads {self.kv_heads}"
        self.qkv = nn.Linear(d, d + 2 * self.kv_heads * (d // heads))  # columns [q | k | v]
        self.out = nn.Linear(d, d)
        self.drop = nn.Dropout(dropout)
        if rope:  # rotary position embeddings: cos and sin (T, hd) of pos * 10000^(-2i/hd), "rotate half" layout
            hd = d // heads
            freq = torch.pow(10000.0, -2.0 * torch.arange(hd // 2, dtype=torch.float64) / hd)  # (hd/2,)
            angle = torch.arange(t, dtype=torch.float64)[:, None] * freq[None, :]  # (T, hd/2)
            angle = torch.cat([angle, angle], dim=-1)  # (T, hd)
            self.register_buffer("cos", torch.cos(angle).float(), persistent=False)
            self.register_buffer("sin", torch.sin(angle).float(), persistent=False)

    def rotate(self, x):  # x: (B, h, T, hd) -> x * cos + rotate_half(x) * sin
        a, b = x.chunk(2, dim=-1)
        T = x.size(2)
        return x * self.cos[:T] + torch.cat([-b, a], dim=-1) * self.sin[:T]

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T) 1 at real tokens
        B, T, D = x.shape
        hd = D // self.heads
        if self.kv_heads == self.heads:
            q, k, v = self.qkv(x).view(B, T, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # each (B, h, T, hd)
        else:
            kd, g = self.kv_heads * hd, self.heads // self.kv_heads
            q, k, v = self.qkv(x).split([D, kd, kd], dim=-1)  # (B, T, D), (B, T, kd), (B, T, kd)
            q = q.view(B, T, self.heads, hd).transpose(1, 2)  # (B, h, T, hd)
            k = k.view(B, T, self.kv_heads, hd).transpose(1, 2).repeat_interleave(g, dim=1)  # (B, h, T, hd)
            v = v.view(B, T, self.kv_heads, hd).transpose(1, 2).repeat_interleave(g, dim=1)  # (B, h, T, hd)
        if self.rope:
            q, k = self.rotate(q), self.rotate(k)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # (B, h, T, T)
        allowed = keep[:, None, None, :].expand(B, 1, T, T)  # (B, 1, T, T): keys that are real tokens
        if self.causal:
            allowed = allowed * torch.tril(torch.ones(T, T, device=x.device))  # and not after the query
        scores = scores + (1.0 - allowed) * -1e9  # forbidden pairs: exp underflows to exactly 0
        probs = torch.softmax(scores, dim=-1) * allowed  # (B, h, T, T); a row with no allowed key stays 0
        y = self.drop(probs) @ v  # (B, h, T, T) @ (B, h, T, hd) -> (B, h, T, hd)
        y = y.transpose(1, 2).reshape(B, T, D)  # (B, T, D)
        return self.drop(self.out(y))  # (B, T, D)
`,
};

/** kvHeads set and fewer than heads: k and v are narrower than q. */
const grouped = (p: Record<string, unknown>): boolean =>
  typeof p.kvHeads === 'number' && p.kvHeads > 0 && p.kvHeads !== p.heads;

/** Width of k (and of v): kvHeads · D/heads, or D when every head has its own. */
export const kvWidth = (d: number, heads: number, kvHeads: number): number => (kvHeads > 0 ? (d / heads) * kvHeads : d);

export const selfAttentionNode = defineNode({
  type: 'SelfAttention',
  version: 3,
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
    kvHeads: int({
      default: 0,
      min: 0,
      max: 64,
      doc: 'Grouped-query attention (LLaMA 2/3): heads of keys and values, each shared by heads / kvHeads query heads; 0 = one per head.',
    }),
    rope: bool({
      default: false,
      doc: 'Rotary position embeddings (RoPE, as LLaMA): rotate queries and keys by their position, so scores depend on distance; no positional encoding needed.',
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
    if (params.kvHeads > 0 && params.heads % params.kvHeads !== 0)
      throw new ShapeError('in', `SelfAttention: heads ${params.heads} is not divisible by kvHeads ${params.kvHeads}`);
    if (params.rope && (d / params.heads) % 2 !== 0)
      throw new ShapeError(
        'in',
        `SelfAttention: RoPE needs an even head width, but dim ${d} / heads ${params.heads} is ${d / params.heads}`,
      );
    return { type: 'sequence', shape: [t, d] };
  },
  cost: ({ inputs, params }) => {
    const [t, d] = attentionInput('SelfAttention', inputs.in, params.heads);
    const kv = kvWidth(d, params.heads, params.kvHeads);
    return {
      params: attentionParamCount(d, kv), // D×(D + 2kv) + D + 2kv (q, k, v) and D×D + D (output)
      flopsPerToken: attentionFlopsPerToken(t, d) - 4 * d * (d - kv), // k and v projections of width kv, not D
      activations: attentionActivations(t, d, params.heads),
    };
  },
  build: ({ inputs, params, tokens, name }) => {
    const layer = new MultiHeadSelfAttention({
      numHeads: params.heads,
      causal: params.causal,
      dropout: params.dropout,
      rope: params.rope,
      kvHeads: params.kvHeads > 0 ? params.kvHeads : params.heads,
      name,
    });
    const [out, attention] = symbolicList(layer.apply([inputs.in, tokens]), name); // (B, T, D), (B, heads, T, T)
    if (!out || !attention) throw new Error(`SelfAttention "${name}": expected [y, probs] from the layer`);
    return { out, attention, layer };
  },
  layers: [MultiHeadSelfAttention],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, d, call } = unary(ctx, n);
      const p = n.params;
      return {
        init: `${self} = SelfAttention(${d}, heads=${p.heads}, causal=${pyBool(p.causal)}, dropout=${pyFloat(p.dropout)}${p.rope === true ? ', rope=True, t=T' : ''}${grouped(p) ? `, kv_heads=${p.kvHeads}` : ''})`,
        forward: call(`${x}, keep`),
        modules: [selfAttentionModule],
      };
    },
    weights: ({ py, layer }) => [
      ...linear(`${py}.qkv`, layer, 'qkv_kernel', 'qkv_bias'),
      ...linear(`${py}.out`, layer, 'out_kernel', 'out_bias'),
    ],
  },
  capabilities: { attentionMaps: true, masksPadding: true },
  migrations: [
    { to: 2, up: (params) => ({ ...params, rope: false }) },
    { to: 3, up: (params) => ({ ...params, kvHeads: 0 }) },
  ],
});
