/**
 * Learning byte-pair merges (Sennrich et al. 2016, byte-level as in GPT-2).
 * The text is pre-split into chunks (GPT-2's pattern: a word with its leading space, a number, a
 * run of punctuation, whitespace), so merges never cross a word boundary. Each distinct chunk is
 * a "word" with a count. Pair counts are kept incrementally: a merge only revisits the words that
 * contain the pair (an index pair → words) and a max-heap with lazy deletion finds the next best
 * pair, so the cost per merge is proportional to the words it touches, not to the corpus.
 * Ties (equal counts) go to the pair with the smaller (left id, right id): deterministic.
 */
import { encodeUtf8 } from '../utf8';

/** GPT-2's pre-tokenization pattern; the matches cover the text exactly. */
export const CHUNK_RE = /'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Id of byte b; 0 pad, 1 eos, 2 sep come first. */
export const BYTE_BASE = 3;
export const FIRST_MERGE_ID = BYTE_BASE + 256;

const KEY = 2 ** 21; // ids stay below 2^21, so a * KEY + b is an exact, ordered pair key
const pairKey = (a: number, b: number): number => a * KEY + b;

/** Max-heap of [count, key]: higher count first, then smaller key. */
class PairHeap {
  private items: [number, number][] = [];
  private better(x: [number, number], y: [number, number]): boolean {
    return x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]);
  }
  push(item: [number, number]): void {
    const h = this.items;
    h.push(item);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.better(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): [number, number] | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.better(h[l], h[m])) m = l;
        if (r < h.length && this.better(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Learn up to `numMerges` merges; stops early when no pair occurs twice. Returns [left, right] id pairs in order. */
export function learnMerges(texts: readonly string[], numMerges: number): [number, number][] {
  const chunkCounts = new Map<string, number>();
  for (const t of texts) {
    for (const m of t.matchAll(CHUNK_RE)) chunkCounts.set(m[0], (chunkCounts.get(m[0]) ?? 0) + 1);
  }
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [chunk, n] of chunkCounts) {
    words.push(Array.from(encodeUtf8(chunk), (b) => b + BYTE_BASE));
    freq.push(n);
  }
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const addPairs = (w: number, sign: number, touched: Set<number>): void => {
    const s = words[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const k = pairKey(s[i], s[i + 1]);
      counts.set(k, (counts.get(k) ?? 0) + sign * freq[w]);
      touched.add(k);
      if (sign > 0) {
        let set = where.get(k);
        if (!set) where.set(k, (set = new Set()));
        set.add(w);
      }
    }
  };
  const all = new Set<number>();
  for (let w = 0; w < words.length; w++) addPairs(w, 1, all);
  for (const k of all) heap.push([counts.get(k) ?? 0, k]);

  const merges: [number, number][] = [];
  while (merges.length < numMerges) {
    const top = heap.pop();
    if (!top) break;
    const [n, k] = top;
    if ((counts.get(k) ?? 0) !== n) continue; // stale entry
    if (n < 2) break;
    const a = Math.floor(k / KEY);
    const b = k % KEY;
    const id = FIRST_MERGE_ID + merges.length;
    merges.push([a, b]);
    const touched = new Set<number>();
    for (const w of where.get(k) ?? []) {
      const s = words[w];
      let has = false;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) has = true;
      if (!has) continue;
      addPairs(w, -1, touched);
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(s[i]);
      }
      words[w] = next;
      addPairs(w, 1, touched);
    }
    where.delete(k);
    for (const t of touched) {
      const c = counts.get(t) ?? 0;
      if (c > 0) heap.push([c, t]);
      else counts.delete(t);
    }
  }
  return merges;
}
