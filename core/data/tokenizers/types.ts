/**
 * The tokenizer contract. Every tokenizer reserves id 0 for padding (`<pad>`, never produced by
 * `encode`, decoded as nothing) and has two special tokens that prompt-completion data needs:
 * `<|sep|>` between prompt and completion and `<|endoftext|>` after the completion. `encode`
 * recognises those two strings in text, so `decode(encode(s)) === s` holds for them too.
 */
export type TokenizerKind = 'char' | 'word' | 'bpe' | 'gpt2';

export const PAD_ID = 0;
export const PAD_TEXT = '<pad>';
export const EOS_TEXT = '<|endoftext|>';
export const SEP_TEXT = '<|sep|>';
export const UNK_TEXT = '<unk>';

/** Tagging input: sub-token ids for pre-split words. */
export interface WordIds {
  ids: number[];
  /** For each id: the index of the word it starts (its first sub-token carries the tag), or -1. */
  wordIndex: number[];
}

export type TokenizerJSON =
  | { kind: 'char'; version: 1; chars: string[] }
  | { kind: 'word'; version: 1; maxWords: number; words: string[] }
  | { kind: 'bpe'; version: 1; numMerges: number; merges: [number, number][] }
  | { kind: 'gpt2'; version: 1 };

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** The spec that recreates it with `createTokenizer` (e.g. `bpe:500`). */
  readonly spec: string;
  /** Number of ids, INCLUDING the padding id 0 (the V that Embedding and NextTokenHead use). */
  readonly vocabSize: number;
  readonly eosId: number;
  readonly sepId: number;
  /** Id for text outside the vocabulary; undefined for byte-level tokenizers (bpe, gpt2), which have none. */
  readonly unkId: number | undefined;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** Display text of each token (for coloured chips): `<pad>`, `<unk>`, `<|sep|>`… shown by name. */
  pieces(ids: readonly number[]): string[];
  /**
   * Tagging: ids for words that are already split. The word tokenizer gives one id per word; the
   * others encode each word (after a space, except the first) and mark its first sub-token.
   */
  tokenizeWords(words: readonly string[]): WordIds;
  toJSON(): TokenizerJSON;
}
