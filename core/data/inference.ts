/**
 * Encoding a user's text for a prediction, the same way training encoded its examples.
 *   next-token: the last T ids of the text (the model predicts what follows position length-1);
 *     prompt-completion models get `prompt <|sep|>`, so the completion comes next.
 *   classify: the first T ids, as in training.
 *   tag: the text split into words (letters/digits with inner apostrophes, or one punctuation mark),
 *     then `tokenizeWords`; `wordIndex` says which token carries each word's tag.
 */
import type { PreparedDataset } from './prepare';
import type { Tokenizer } from './tokenizers/types';

export interface InferenceInput {
  /** (T) ids, right-padded with 0: one row of a (1, T) batch. */
  tokens: Int32Array;
  /** Real (non-padding) positions: 0..length-1. */
  length: number;
  /** Display text of each real position. */
  pieces: string[];
  /** Tagging only: the word each position starts, or -1; and the words. */
  wordIndex?: number[];
  words?: string[];
}

const WORD_SPLIT = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

type Mode = 'tail' | 'head' | 'prompt' | 'tag';

/** What encoding needs to know about a dataset; a PreparedDataset or a reopened run's manifest gives it. */
export type InferenceContext = Pick<PreparedDataset, 'tokenizer' | 'task' | 'promptCompletion'>;

function isPrepared(x: InferenceContext | Tokenizer): x is InferenceContext {
  return 'tokenizer' in x;
}

export function encodeForInference(source: InferenceContext | Tokenizer, text: string, seqLen: number): InferenceInput {
  const tokenizer = isPrepared(source) ? source.tokenizer : source;
  let mode: Mode = 'tail';
  if (isPrepared(source)) {
    if (source.task === 'classify') mode = 'head';
    else if (source.task === 'tag') mode = 'tag';
    else if (source.promptCompletion) mode = 'prompt';
  }
  let ids: number[];
  let wordIndex: number[] | undefined;
  let words: string[] | undefined;
  if (mode === 'tag') {
    words = text.match(WORD_SPLIT) ?? [];
    ({ ids, wordIndex } = tokenizer.tokenizeWords(words));
    ids = ids.slice(0, seqLen);
    wordIndex = wordIndex.slice(0, seqLen);
  } else {
    ids = tokenizer.encode(text);
    if (mode === 'prompt') ids.push(tokenizer.sepId);
    ids = mode === 'head' ? ids.slice(0, seqLen) : ids.slice(Math.max(0, ids.length - seqLen));
  }
  const tokens = new Int32Array(seqLen); // (T)
  tokens.set(ids);
  return { tokens, length: ids.length, pieces: tokenizer.pieces(ids), wordIndex, words };
}
