/**
 * tokenizer.json → Tokenizer inside the exported module, checked by hand because the module depends
 * on tf.js alone (core's tokenizerFromJSON uses zod). gpt2 is added by runtime-entry-gpt2.ts only,
 * so char/word/bpe exports never import gpt-tokenizer.
 */
import { BpeTokenizer } from '../../data/tokenizers/bpe';
import { CharTokenizer } from '../../data/tokenizers/char';
import type { Tokenizer } from '../../data/tokenizers/types';
import { WordTokenizer } from '../../data/tokenizers/word';

export type TokenizerReader = (json: unknown) => Tokenizer;

const field = (json: unknown, key: string): unknown =>
  typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined;

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const isPairs = (x: unknown): x is [number, number][] =>
  Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n)));
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

export const tokenizerKind = (json: unknown): unknown => field(json, 'kind');

/** Reads a saved char, word or bpe tokenizer; throws one sentence for anything else. */
export function readBasicTokenizer(json: unknown): Tokenizer {
  const kind = tokenizerKind(json);
  const chars = field(json, 'chars');
  const words = field(json, 'words');
  const maxWords = field(json, 'maxWords');
  const merges = field(json, 'merges');
  const numMerges = field(json, 'numMerges');
  if (kind === 'char' && isStrings(chars)) return new CharTokenizer(chars);
  if (kind === 'word' && isStrings(words) && isCount(maxWords)) return new WordTokenizer(words, maxWords);
  if (kind === 'bpe' && isPairs(merges) && isCount(numMerges)) return new BpeTokenizer(merges, numMerges);
  throw new Error(`tokenizer.json is not a saved Wordloom tokenizer this module reads (kind ${String(kind)}).`);
}
