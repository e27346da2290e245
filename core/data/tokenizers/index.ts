/**
 * Tokenizers (docs/data-formats.md): `char`, `word` / `word:N`, `bpe:N`, `gpt2`. Learned tokenizers learn from
 * the training split only (prepare.ts passes just that text).
 */
import { z } from 'zod';
import { DataError, TokenizerSpecError } from '../errors';
import { BpeTokenizer } from './bpe';
import { CharTokenizer } from './char';
import { Gpt2Tokenizer } from './gpt2';
import { DEFAULT_MAX_WORDS, WordTokenizer } from './word';
import type { Tokenizer, TokenizerJSON } from './types';

export * from './types';
export { splitWords } from './word';

export const DEFAULT_BPE_MERGES = 500;
const MAX_SIZE = 200_000;

export interface ParsedSpec {
  kind: Tokenizer['kind'];
  /** word: words kept; bpe: merges to learn. */
  size?: number;
}

export function parseTokenizerSpec(spec: string): ParsedSpec {
  const m = /^\s*(char|word|bpe|gpt2)(?::(\d+))?\s*$/.exec(spec.toLowerCase());
  const kind = m?.[1];
  if (!m || !kind || ((kind === 'char' || kind === 'gpt2') && m[2] !== undefined)) {
    throw new TokenizerSpecError(`Unknown tokenizer "${spec}"; use char, word, word:N, bpe:N or gpt2.`);
  }
  const size = m[2] === undefined ? undefined : Number(m[2]);
  if (size !== undefined && (size < 1 || size > MAX_SIZE)) {
    throw new TokenizerSpecError(`Tokenizer "${spec}": N must be between 1 and ${MAX_SIZE}.`);
  }
  if (kind === 'char' || kind === 'word' || kind === 'bpe' || kind === 'gpt2') return { kind, size };
  throw new Error(`unreachable tokenizer kind ${kind}`);
}

/**
 * Build a tokenizer from a spec, learning it on `trainingText` (ignored by gpt2). Specs:
 * `char`; `word` (top 10,000 words) or `word:N`; `bpe:N` (N merges; `bpe` = 500); `gpt2`.
 */
export function createTokenizer(spec: string, trainingText: string | readonly string[]): Tokenizer {
  const texts = typeof trainingText === 'string' ? [trainingText] : trainingText;
  const { kind, size } = parseTokenizerSpec(spec);
  switch (kind) {
    case 'char':
      return CharTokenizer.learn(texts);
    case 'word':
      return WordTokenizer.learn(texts, size ?? DEFAULT_MAX_WORDS);
    case 'bpe':
      return BpeTokenizer.learn(texts, size ?? DEFAULT_BPE_MERGES);
    case 'gpt2':
      return new Gpt2Tokenizer();
  }
}

/**
 * A tokenizer for tagging data, learned on its training sentences (already split into words). The
 * word tokenizer learns each word as it is (`U.S.` stays one entry); the others learn on the
 * sentences joined with spaces, exactly as `tokenizeWords` will encode them.
 */
export function createTagTokenizer(spec: string, sentences: readonly (readonly string[])[]): Tokenizer {
  const { kind, size } = parseTokenizerSpec(spec);
  if (kind === 'word') return WordTokenizer.learnWords(sentences, size ?? DEFAULT_MAX_WORDS);
  return createTokenizer(
    spec,
    sentences.map((s) => s.join(' ')),
  );
}

const id = z.number().int().nonnegative();
const tokenizerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('char'), version: z.literal(1), chars: z.array(z.string().min(1)) }),
  z.object({
    kind: z.literal('word'),
    version: z.literal(1),
    maxWords: z.number().int().positive(),
    words: z.array(z.string().min(1)),
  }),
  z.object({
    kind: z.literal('bpe'),
    version: z.literal(1),
    numMerges: z.number().int().positive(),
    merges: z.array(z.tuple([id, id])),
  }),
  z.object({ kind: z.literal('gpt2'), version: z.literal(1) }),
]);

/** Rebuild a saved tokenizer. `file` names the source in the error sentence. */
export function tokenizerFromJSON(json: unknown, file = 'tokenizer.json'): Tokenizer {
  const r = tokenizerSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new DataError(`${file} is not a saved Wordloom tokenizer (${issue?.message ?? 'invalid'}${where}).`, file);
  }
  const t: TokenizerJSON = r.data;
  try {
    switch (t.kind) {
      case 'char':
        return new CharTokenizer(t.chars);
      case 'word':
        return new WordTokenizer(t.words, t.maxWords);
      case 'bpe':
        return new BpeTokenizer(t.merges, t.numMerges);
      case 'gpt2':
        return new Gpt2Tokenizer();
    }
  } catch (e) {
    throw new DataError(`${file} is a damaged tokenizer (${e instanceof Error ? e.message : String(e)}).`, file);
  }
}
