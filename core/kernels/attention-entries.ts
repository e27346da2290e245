import type { OwnWasmKernels } from './own-wasm';

/**
 * One (batch, head) entry of multi-head self-attention at a time, forward and backward, on our wasm kernels
 * (own-kernels.wat): q, k and v are read in place from the fused projection qkv (B, T, 3D) through strides
 * while packing, the context is written straight into its columns of (B, T, D) and the gradients into theirs
 * of dqkv (B, T, 3D), so no head split, merge or transpose runs. With a causal mask the products skip what the
 * mask makes zero (gemm4x8_ex's modes): about half the multiply-adds. Entries are independent, so a batch of
 * them is shared with the helper threads by entries (own-gemm-threads.ts); each thread packs into its own
 * scratch, `attentionScratchFloats` floats.
 */

/** The kernels an entry runs. */
export type AttentionKernels = Pick<
  OwnWasmKernels,
  'pack_a4' | 'pack_b8' | 'gemm4x8_ex' | 'attn_softmax' | 'attn_softmax_grad'
>;

/** An attention call's sizes and heap pointers (byte offsets), shared by every entry. */
export interface AttentionJob {
  /** Sequence length T, head width d, heads H (D = H·d). */
  seqLen: number;
  headDim: number;
  heads: number;
  causal: boolean;
  /** 1/√d. */
  scale: number;
  /** (B, T, 3D): columns [q | k | v], each H heads of d. */
  qkv: number;
  /** (B, ceil(T/4)·4): 1 for a key that may be seen, 0 for padding and past T. */
  keep: number;
  /** (B, H, T, T): the softmax (written forward, read backward). */
  probs: number;
  /** Forward: the context (B, T, D). Backward: dqkv (B, T, 3D). */
  out: number;
  /** Backward: dy (B, T, D); 0 forward. */
  dy: number;
}

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** Floats of the padded key-mask row of one batch entry. */
export const keepRowFloats = (seqLen: number): number => roundUp(seqLen, 4);

/** Floats of scratch one thread needs: a packed a, a packed b, a scores block, a 32-float edge tile. */
export function attentionScratchFloats(seqLen: number, headDim: number): number {
  const [t4, t8, d8] = [roundUp(seqLen, 4), roundUp(seqLen, 8), roundUp(headDim, 8)];
  return t4 * Math.max(seqLen, headDim) + Math.max(t8 * headDim, d8 * seqLen) + seqLen * t8 + 32;
}

/** Byte offsets of one thread's scratch regions, and the scores' row stride in floats. */
function regions(job: AttentionJob, scratch: number) {
  const { seqLen: t, headDim: d } = job;
  const [t4, t8, d8] = [roundUp(t, 4), roundUp(t, 8), roundUp(d, 8)];
  const ap = scratch;
  const bp = ap + 4 * t4 * Math.max(t, d);
  const s = bp + 4 * Math.max(t8 * d, d8 * t);
  return { ap, bp, s, tile: s + 4 * t * t8, ls: t8 };
}

/** Where entry `e`'s operands are: its q, k, v (rows 3D floats apart), its softmax, its batch's key mask. */
function entryAt(job: AttentionJob, e: number) {
  const { seqLen: t, headDim: d, heads } = job;
  const [b, h] = [Math.floor(e / heads), e % heads];
  const dim = heads * d;
  const q = job.qkv + 4 * (b * t * 3 * dim + h * d);
  return {
    b,
    h,
    dim,
    q,
    k: q + 4 * dim,
    v: q + 8 * dim,
    p: job.probs + 4 * e * t * t,
    keep: job.keep + 4 * b * keepRowFloats(t),
  };
}

/** Forward for entries [first, last): probs = masked softmax(q·kᵀ·scale), context = probs·v. */
export function attentionForward(
  own: AttentionKernels,
  job: AttentionJob,
  scratch: number,
  first: number,
  last: number,
): void {
  const { seqLen: t, headDim: d, causal, scale } = job;
  const { ap, bp, s, tile, ls } = regions(job, scratch);
  for (let e = first; e < last; e++) {
    const { b, h, dim, q, k, v, p, keep } = entryAt(job, e);
    own.pack_a4(q, ap, t, d, 3 * dim, 1);
    own.pack_b8(k, bp, d, t, 1, 3 * dim); // kᵀ
    own.gemm4x8_ex(ap, bp, 0, s, t, d, t, tile, ls, causal ? 1 : 0);
    own.attn_softmax(s, ls, p, keep, t, scale, causal ? 1 : 0);
    own.pack_a4(p, ap, t, t, t, 1);
    own.pack_b8(v, bp, t, d, 3 * dim, 1);
    own.gemm4x8_ex(ap, bp, 0, job.out + 4 * (b * t * dim + h * d), t, t, d, tile, dim, causal ? 2 : 0);
  }
}

/**
 * Backward for entries [first, last), into dqkv's columns: dv = Pᵀ·dy, dS = scale·P ⊙ (dy·vᵀ − Σ_keys …),
 * dq = dS·k, dk = dSᵀ·q.
 */
export function attentionBackward(
  own: AttentionKernels,
  job: AttentionJob,
  scratch: number,
  first: number,
  last: number,
): void {
  const { seqLen: t, headDim: d, causal, scale } = job;
  const { ap, bp, s, tile, ls } = regions(job, scratch);
  // causal: P and dS are lower triangular, so Pᵀ and dSᵀ upper
  const [lower, upper, diagonal] = causal ? [2, 3, 1] : [0, 0, 0];
  for (let e = first; e < last; e++) {
    const { b, h, dim, q, k, v, p } = entryAt(job, e);
    const dy = job.dy + 4 * (b * t * dim + h * d);
    const dq = job.out + 4 * (b * t * 3 * dim + h * d);
    own.pack_a4(p, ap, t, t, 1, t); // Pᵀ
    own.pack_b8(dy, bp, t, d, dim, 1);
    own.gemm4x8_ex(ap, bp, 0, dq + 8 * dim, t, t, d, tile, 3 * dim, upper); // dv
    own.pack_a4(dy, ap, t, d, dim, 1);
    own.pack_b8(v, bp, d, t, 1, 3 * dim); // vᵀ
    own.gemm4x8_ex(ap, bp, 0, s, t, d, t, tile, ls, diagonal); // dP
    own.attn_softmax_grad(s, ls, p, t, scale, causal ? 1 : 0); // dS, in place
    own.pack_a4(s, ap, t, t, ls, 1);
    own.pack_b8(k, bp, t, d, 3 * dim, 1);
    own.gemm4x8_ex(ap, bp, 0, dq, t, t, d, tile, 3 * dim, lower); // dq
    own.pack_a4(s, ap, t, t, 1, ls); // dSᵀ
    own.pack_b8(q, bp, t, d, 3 * dim, 1);
    own.gemm4x8_ex(ap, bp, 0, dq + 4 * dim, t, t, d, tile, 3 * dim, upper); // dk
  }
}
