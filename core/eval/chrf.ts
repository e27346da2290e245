/**
 * chrF (Popović 2015) with sacreBLEU's defaults: character n-grams of order 1..6, whitespace removed,
 * β = 2 (recall weighs twice as much as precision). Statistics are summed over the corpus first; then, per
 * order n, precision and recall come from the summed counts, give an F_β, and the score is the mean F_β over
 * the orders that both sides have (sacreBLEU 2's `effective_order`), times 100.
 */
export const CHRF_ORDER = 6;
export const CHRF_BETA = 2;

/** Per order n (index n - 1): n-grams in the hypotheses, in the references, and matched (clipped counts). */
export interface ChrfStats {
  hyp: number[];
  ref: number[];
  match: number[];
}

function ngrams(text: string, n: number): Map<string, number> {
  const chars = [...text.replace(/\s+/g, '')]; // code points, so an emoji is one character
  const out = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** The n-gram statistics of one hypothesis against its reference. */
export function chrfStats(hypothesis: string, reference: string, order = CHRF_ORDER): ChrfStats {
  const s: ChrfStats = { hyp: [], ref: [], match: [] };
  for (let n = 1; n <= order; n++) {
    const h = ngrams(hypothesis, n);
    const r = ngrams(reference, n);
    let matched = 0;
    for (const [g, c] of h) matched += Math.min(c, r.get(g) ?? 0);
    s.hyp.push(sum(h.values()));
    s.ref.push(sum(r.values()));
    s.match.push(matched);
  }
  return s;
}

const sum = (xs: Iterable<number>): number => {
  let t = 0;
  for (const x of xs) t += x;
  return t;
};

/** chrF from (corpus-summed) statistics, 0..100. */
export function chrfFromStats(s: ChrfStats, beta = CHRF_BETA): number {
  const eps = 1e-16;
  const b2 = beta * beta;
  let score = 0;
  let effective = 0;
  for (let i = 0; i < s.hyp.length; i++) {
    const prec = s.hyp[i] > 0 ? s.match[i] / s.hyp[i] : eps;
    const rec = s.ref[i] > 0 ? s.match[i] / s.ref[i] : eps;
    const denom = b2 * prec + rec;
    score += denom > 0 ? ((1 + b2) * prec * rec) / denom : eps;
    if (s.hyp[i] > 0 && s.ref[i] > 0) effective += 1;
  }
  return effective === 0 ? 0 : (100 * score) / effective;
}

/** Corpus-level chrF of hypotheses against references (one reference each), 0..100. */
export function corpusChrf(hypotheses: readonly string[], references: readonly string[], order = CHRF_ORDER): number {
  if (hypotheses.length !== references.length)
    throw new Error(`corpusChrf: ${hypotheses.length} hypotheses but ${references.length} references`);
  const total: ChrfStats = { hyp: Array(order).fill(0), ref: Array(order).fill(0), match: Array(order).fill(0) };
  hypotheses.forEach((h, k) => {
    const s = chrfStats(h, references[k], order);
    for (let i = 0; i < order; i++) {
      total.hyp[i] += s.hyp[i];
      total.ref[i] += s.ref[i];
      total.match[i] += s.match[i];
    }
  });
  return chrfFromStats(total);
}
