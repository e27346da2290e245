/**
 * Word tokenizer: lower-cased words, the top N by frequency (ties in code-point order) + <unk>.
 * Ids: 0 <pad>, 1 <|endoftext|>, 2 <|sep|>, 3 <unk>, then words by falling frequency.
 *
 * Splitting: a word is a run of letters, marks and digits with inner apostrophes (`we'll`, `know't`);
 * a run of one repeated punctuation character (`.`, `...`, `--`) is one token; each newline is a
 * token (line structure matters for poetry and dialogue); other whitespace is dropped.
 * Decoding puts one space between tokens, except before closing punctuation (`.,;:!?)]}%`), after
 * opening brackets, and around newlines and special tokens. What is lost: case, runs of spaces and
 * tabs, and unusual spacing around punctuation (`'tis` comes back as `' tis`).
 */
import { encodeWithSpecials } from './specials';
import { EOS_TEXT, PAD_TEXT, SEP_TEXT, UNK_TEXT, type Tokenizer, type TokenizerJSON, type WordIds } from './types';

const FIRST = 4;
export const DEFAULT_MAX_WORDS = 10_000;
const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|\n|([^\s\p{L}\p{M}\p{N}])\1*/gu;
const CLOSING = new Set([...'.,;:!?)]}%']);
const OPENING = new Set([...'([{']);

export function splitWords(text: string): string[] {
  return text.toLowerCase().match(WORD_RE) ?? [];
}

export class WordTokenizer implements Tokenizer {
  readonly kind = 'word';
  readonly eosId = 1;
  readonly sepId = 2;
  readonly unkId = 3;
  readonly vocabSize: number;
  readonly spec: string;
  private readonly index = new Map<string, number>();

  constructor(
    private readonly words: readonly string[],
    private readonly maxWords: number,
  ) {
    words.forEach((w, i) => this.index.set(w, FIRST + i));
    this.vocabSize = FIRST + words.length;
    this.spec = maxWords === DEFAULT_MAX_WORDS ? 'word' : `word:${maxWords}`;
  }

  static learn(texts: readonly string[], maxWords = DEFAULT_MAX_WORDS): WordTokenizer {
    const counts = new Map<string, number>();
    for (const t of texts) {
      for (const w of splitWords(t.replace(/<\|endoftext\|>|<\|sep\|>/g, ' '))) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return WordTokenizer.fromCounts(counts, maxWords);
  }

  /** Learn from words that are already split (tagging data): each word, lower-cased, is one entry. */
  static learnWords(sentences: readonly (readonly string[])[], maxWords = DEFAULT_MAX_WORDS): WordTokenizer {
    const counts = new Map<string, number>();
    for (const s of sentences) for (const w of s) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
    return WordTokenizer.fromCounts(counts, maxWords);
  }

  private static fromCounts(counts: Map<string, number>, maxWords: number): WordTokenizer {
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new WordTokenizer(
      ranked.slice(0, maxWords).map(([w]) => w),
      maxWords,
    );
  }

  private id(word: string): number {
    return this.index.get(word.toLowerCase()) ?? this.unkId;
  }

  encode(text: string): number[] {
    return encodeWithSpecials(text, { eos: this.eosId, sep: this.sepId }, (s, out) => {
      for (const w of splitWords(s)) out.push(this.id(w));
    });
  }

  private text(id: number, forDisplay: boolean): string {
    if (id === 0) return forDisplay ? PAD_TEXT : '';
    if (id === this.eosId) return EOS_TEXT;
    if (id === this.sepId) return SEP_TEXT;
    if (id === this.unkId) return UNK_TEXT;
    const w = this.words[id - FIRST];
    if (w === undefined) throw new Error(`word tokenizer: id ${id} is outside the vocabulary of ${this.vocabSize}`);
    return w;
  }

  decode(ids: readonly number[]): string {
    let out = '';
    let prev = '';
    for (const id of ids) {
      if (id === 0) continue;
      const t = this.text(id, false);
      const special = (x: string): boolean => x === EOS_TEXT || x === SEP_TEXT;
      const glue =
        prev === '' ||
        prev === '\n' ||
        t === '\n' ||
        special(prev) ||
        special(t) ||
        CLOSING.has(t[0]) ||
        OPENING.has(prev);
      out += glue ? t : ' ' + t;
      prev = t;
    }
    return out;
  }

  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => this.text(id, true));
  }

  /** One id per word (lower-cased; unknown words are <unk>), so every word carries its own tag. */
  tokenizeWords(words: readonly string[]): WordIds {
    return { ids: words.map((w) => this.id(w)), wordIndex: words.map((_, i) => i) };
  }

  toJSON(): TokenizerJSON {
    return { kind: 'word', version: 1, maxWords: this.maxWords, words: [...this.words] };
  }
}
