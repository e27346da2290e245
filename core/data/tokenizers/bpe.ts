/**
 * Byte-level BPE. `bpe:N` means N merges learned on the training split (fewer when no pair occurs
 * twice any more), so V = 3 + 256 + merges: 0 <pad>, 1 <|endoftext|>, 2 <|sep|>, 3..258 the 256
 * bytes, then one id per merge. Being byte-level it has no <unk>: every string encodes, and
 * `decode(encode(s)) === s` for any well-formed string. A piece that splits a multi-byte character
 * is shown with U+FFFD.
 */
import { decodeUtf8, encodeUtf8 } from '../utf8';
import { BYTE_BASE, CHUNK_RE, FIRST_MERGE_ID, learnMerges } from './bpe-train';
import { encodeWithSpecials, tokenizeWordsBySubTokens } from './specials';
import { EOS_TEXT, PAD_TEXT, SEP_TEXT, type Tokenizer, type TokenizerJSON, type WordIds } from './types';

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe';
  readonly eosId = 1;
  readonly sepId = 2;
  readonly unkId = undefined;
  readonly vocabSize: number;
  readonly spec: string;
  /** Pair key → merge rank. */
  private readonly ranks = new Map<string, number>();
  /** Bytes of each id (specials and pad are handled apart). */
  private readonly bytes: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(
    private readonly merges: readonly [number, number][],
    private readonly numMerges: number,
  ) {
    this.spec = `bpe:${numMerges}`;
    this.vocabSize = FIRST_MERGE_ID + merges.length;
    for (let b = 0; b < 256; b++) this.bytes[BYTE_BASE + b] = Uint8Array.of(b);
    merges.forEach(([a, b], r) => {
      const left = this.bytes[a];
      const right = this.bytes[b];
      if (!left || !right) throw new Error(`bpe merge ${r} refers to an id that does not exist yet (${a}, ${b})`);
      const both = new Uint8Array(left.length + right.length);
      both.set(left);
      both.set(right, left.length);
      this.bytes[FIRST_MERGE_ID + r] = both;
      this.ranks.set(`${a},${b}`, r);
    });
  }

  static learn(texts: readonly string[], numMerges: number): BpeTokenizer {
    const plain = texts.map((t) => t.replace(/<\|endoftext\|>|<\|sep\|>/g, ''));
    return new BpeTokenizer(learnMerges(plain, numMerges), numMerges);
  }

  private encodeChunk(chunk: string): number[] {
    const hit = this.cache.get(chunk);
    if (hit) return hit;
    const s = Array.from(encodeUtf8(chunk), (b) => b + BYTE_BASE);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = this.ranks.get(`${s[i]},${s[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const [a, b] = this.merges[bestRank];
      const id = FIRST_MERGE_ID + bestRank;
      for (let i = best; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, id);
    }
    if (this.cache.size < 100_000) this.cache.set(chunk, s);
    return s;
  }

  encode(text: string): number[] {
    return encodeWithSpecials(text, { eos: this.eosId, sep: this.sepId }, (seg, out) => {
      for (const m of seg.matchAll(CHUNK_RE)) for (const id of this.encodeChunk(m[0])) out.push(id);
    });
  }

  private idBytes(id: number): Uint8Array {
    const b = this.bytes[id];
    if (!b) throw new Error(`bpe tokenizer: id ${id} is outside the vocabulary of ${this.vocabSize}`);
    return b;
  }

  decode(ids: readonly number[]): string {
    let out = '';
    let run: Uint8Array[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      const all = new Uint8Array(run.reduce((n, b) => n + b.length, 0));
      let o = 0;
      for (const b of run) {
        all.set(b, o);
        o += b.length;
      }
      const r = decodeUtf8(all, false);
      if (r.ok) out += r.text;
      run = [];
    };
    for (const id of ids) {
      if (id === 0) continue;
      if (id === this.eosId || id === this.sepId) {
        flush();
        out += id === this.eosId ? EOS_TEXT : SEP_TEXT;
      } else run.push(this.idBytes(id));
    }
    flush();
    return out;
  }

  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => {
      if (id === 0) return PAD_TEXT;
      if (id === this.eosId) return EOS_TEXT;
      if (id === this.sepId) return SEP_TEXT;
      const r = decodeUtf8(this.idBytes(id), false);
      return r.ok ? r.text : '\uFFFD';
    });
  }

  tokenizeWords(words: readonly string[]): WordIds {
    return tokenizeWordsBySubTokens(
      words,
      (t) => this.encode(t),
      (ids) => this.pieces(ids),
    );
  }

  toJSON(): TokenizerJSON {
    return { kind: 'bpe', version: 1, numMerges: this.numMerges, merges: this.merges.map(([a, b]) => [a, b]) };
  }
}
