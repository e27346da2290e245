/**
 * The small nn.Modules model.py is built from, as Python source. Each mirrors one of Wordloom's tf.js layers
 * (core/layers/) operation for operation, so the exported model computes the same numbers; model.py carries
 * only the ones its graph uses.
 */
import { recurrent } from './recurrent-py';

export type Block =
  | 'PositionalEncoding'
  | 'SelfAttention'
  | 'TransformerBlock'
  | 'FeedForward'
  | 'MeanPool'
  | 'MaxPool'
  | 'LastToken'
  | 'BagOfWords'
  | 'Recurrent';

/** Blocks a block needs defined before it. */
export const BLOCK_NEEDS: Partial<Record<Block, Block[]>> = { TransformerBlock: ['SelfAttention'] };

/** Emission order: a block's needs come first. */
export const BLOCK_ORDER: readonly Block[] = [
  'PositionalEncoding',
  'BagOfWords',
  'SelfAttention',
  'TransformerBlock',
  'FeedForward',
  'Recurrent',
  'MeanPool',
  'MaxPool',
  'LastToken',
];

const positional = String.raw`class PositionalEncoding(nn.Module):
    """Adds a position signal to x (B, T, D): a trainable (T, D) table ("learned", GPT-2) or fixed sine and
    cosine waves ("sinusoidal", the 2017 Transformer). Shorter inputs use the first rows."""

    def __init__(self, kind, t, d):
        super().__init__()
        self.kind = kind
        if kind == "learned":
            self.weight = nn.Parameter(torch.zeros(t, d))  # (T, D)
        else:
            pos = torch.arange(t, dtype=torch.float64).unsqueeze(1)  # (T, 1)
            i = torch.arange(d)  # (D,)
            angle = pos / torch.pow(10000.0, (2 * (i // 2)).double() / d)  # (T, D)
            table = torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)).float()  # sin at even, cos at odd
            self.register_buffer("table", table, persistent=False)  # (T, D), not a weight

    def forward(self, x):  # x: (B, T, D)
        table = self.weight if self.kind == "learned" else self.table
        assert x.size(1) <= table.size(0), f"sequence length {x.size(1)} exceeds the {table.size(0)} positions"
        return x + table[: x.size(1)]  # (B, T, D) + (T, D)
`;

const bagOfWords = String.raw`class BagOfWords(nn.Module):
    """Token ids (B, T) -> how often each vocabulary entry occurs (B, V), or 0/1 when binary; padding never counts."""

    def __init__(self, v, binary):
        super().__init__()
        self.v, self.binary = v, binary

    def forward(self, tokens):  # tokens: (B, T)
        ones = torch.ones(tokens.shape, device=tokens.device)  # (B, T)
        counts = torch.zeros(tokens.size(0), self.v, device=tokens.device).scatter_add_(1, tokens, ones)  # (B, V)
        if self.binary:
            counts = (counts > 0).float()  # (B, V)
        not_pad = torch.ones(self.v, device=tokens.device)
        not_pad[PAD_ID] = 0.0
        return counts * not_pad  # (B, V)
`;

const selfAttention = String.raw`class SelfAttention(nn.Module):
    """Multi-head self-attention over x (B, T, D). Padding keys are never attended and, when causal, neither are
    later positions. q, k and v come from one projection whose columns are [q | k | v], each split into heads."""

    def __init__(self, d, heads, causal, dropout=0.0):
        super().__init__()
        assert d % heads == 0, f"dim {d} is not divisible by heads {heads}"
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T) 1 at real tokens
        B, T, D = x.shape
        hd = D // self.heads
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # each (B, h, T, hd)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # (B, h, T, T)
        allowed = keep[:, None, None, :].expand(B, 1, T, T)  # (B, 1, T, T): keys that are real tokens
        if self.causal:
            allowed = allowed * torch.tril(torch.ones(T, T, device=x.device))  # and not after the query
        scores = scores + (1.0 - allowed) * -1e9  # forbidden pairs: exp underflows to exactly 0
        probs = torch.softmax(scores, dim=-1) * allowed  # (B, h, T, T); a row with no allowed key stays 0
        y = self.drop(probs) @ v  # (B, h, T, T) @ (B, h, T, hd) -> (B, h, T, hd)
        y = y.transpose(1, 2).reshape(B, T, D)  # (B, T, D)
        return self.drop(self.out(y))  # (B, T, D)
`;

const transformerBlock = String.raw`class TransformerBlock(nn.Module):
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
`;

const feedForward = String.raw`class FeedForward(nn.Module):
    """Position-wise MLP: D -> hidden (GELU or ReLU) -> D."""

    def __init__(self, d, hidden, activation):
        super().__init__()
        self.up = nn.Linear(d, hidden)
        self.down = nn.Linear(hidden, d)
        self.activation = activation

    def forward(self, x):  # (B, T, D)
        h = self.up(x)  # (B, T, H)
        h = F.gelu(h) if self.activation == "gelu" else torch.relu(h)
        return self.down(h)  # (B, T, D)
`;

const pools = {
  MeanPool: String.raw`class MeanPool(nn.Module):
    """Mean over the real (non-padding) positions: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        mask = keep.unsqueeze(-1)  # (B, T, 1)
        return (x * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # (B, D)
`,
  MaxPool: String.raw`class MaxPool(nn.Module):
    """Max over the real (non-padding) positions: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        mask = keep.unsqueeze(-1)  # (B, T, 1)
        lifted = x * mask + (1.0 - mask) * -1e9  # (B, T, D): padding far below every real value
        any_real = keep.sum(1, keepdim=True).clamp(max=1.0)  # (B, 1)
        return lifted.max(1).values * any_real  # (B, D)
`,
  LastToken: String.raw`class LastToken(nn.Module):
    """x at the last real (non-padding) position: x (B, T, D) -> (B, D); an all-padding row gives zeros."""

    def forward(self, x, keep):  # x: (B, T, D), keep: (B, T)
        rank = keep * torch.arange(1, x.size(1) + 1, device=x.device)  # (B, T): position + 1 at real tokens
        last = rank.max(1, keepdim=True).values  # (B, 1): 0 when the row is all padding
        pick = (rank == last).float() * keep  # (B, T): one-hot of the last real token
        return (x * pick.unsqueeze(-1)).sum(1)  # (B, D)
`,
};

export const BLOCK_SOURCE: Record<Block, string> = {
  PositionalEncoding: positional,
  BagOfWords: bagOfWords,
  SelfAttention: selfAttention,
  TransformerBlock: transformerBlock,
  FeedForward: feedForward,
  Recurrent: recurrent,
  ...pools,
};
