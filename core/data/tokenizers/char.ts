/**
 * Character tokenizer: one id per Unicode code point seen in the training text, sorted by code point.
 * Ids: 0 <pad>, 1 <|endoftext|>, 2 <|sep|>, 3 <unk>, then the characters. A character that was not
 * in the training text encodes to <unk>, which decodes to U+FFFD (shown as `<unk>` in pieces).
 */
import { encodeWithSpecials, tokenizeWordsBySubTokens } from './specials';
import { EOS_TEXT, PAD_TEXT, SEP_TEXT, UNK_TEXT, type Tokenizer, type TokenizerJSON, type WordIds } from './types';

const FIRST = 4;

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  readonly spec = 'char';
  readonly eosId = 1;
  readonly sepId = 2;
  readonly unkId = 3;
  readonly vocabSize: number;
  private readonly index = new Map<string, number>();

  constructor(private readonly chars: readonly string[]) {
    chars.forEach((c, i) => this.index.set(c, FIRST + i));
    this.vocabSize = FIRST + chars.length;
  }

  static learn(texts: readonly string[]): CharTokenizer {
    const seen = new Set<string>();
    for (const t of texts) for (const c of t.replace(/<\|endoftext\|>|<\|sep\|>/g, '')) seen.add(c);
    const chars = [...seen].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    return new CharTokenizer(chars);
  }

  encode(text: string): number[] {
    return encodeWithSpecials(text, { eos: this.eosId, sep: this.sepId }, (s, out) => {
      for (const c of s) out.push(this.index.get(c) ?? this.unkId);
    });
  }

  private text(id: number, forDisplay: boolean): string {
    if (id === 0) return forDisplay ? PAD_TEXT : '';
    if (id === this.eosId) return EOS_TEXT;
    if (id === this.sepId) return SEP_TEXT;
    if (id === this.unkId) return forDisplay ? UNK_TEXT : '\uFFFD';
    const c = this.chars[id - FIRST];
    if (c === undefined) throw new Error(`char tokenizer: id ${id} is outside the vocabulary of ${this.vocabSize}`);
    return c;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.text(id, false)).join('');
  }

  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => this.text(id, true));
  }

  tokenizeWords(words: readonly string[]): WordIds {
    return tokenizeWordsBySubTokens(
      words,
      (t) => this.encode(t),
      (ids) => this.pieces(ids),
    );
  }

  toJSON(): TokenizerJSON {
    return { kind: 'char', version: 1, chars: [...this.chars] };
  }
}
