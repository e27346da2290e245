/**
 * From a data file to token ids split into train and validation (docs/data-formats.md).
 * - The split is fixed: next-token text keeps its last `valFraction` (by position) for validation;
 *   row data is shuffled with a seeded permutation, then the last `valFraction` of rows is validation.
 * - The tokenizer is learned on the training split only, so validation measures unseen text.
 * - Prompt-completion rows become `prompt <|sep|> completion <|endoftext|>` next-token sequences with
 *   the loss only on the completion. Both separators are special ids in every tokenizer, so they
 *   encode the same way whatever the tokenizer is and never clash with text.
 */
import type { Binding, Task } from '../nodes/define';
import type { Tokenizer } from './tokenizers/types';
import { createTagTokenizer, createTokenizer } from './tokenizers/index';
import { parseDataBytes, parseDataText, type ColumnMap, type FileTask, type ParsedData } from './formats';
import { permutation, mulberry32 } from './rng';
import { splitTokens, type DataSplit } from './split';
import { DataError } from './errors';
import { encodeToInt32 } from './encode-stream';

interface SourceInfo {
  /** Shown as the dataset's name. */
  name: string;
  /** File name for format detection and error messages (default: `name`). */
  file?: string;
  task?: FileTask;
  columns?: ColumnMap;
}
/** A file's text or bytes; bundled sets: `bundledSource(name, text)`. */
export type DataSource = (SourceInfo & { text: string }) | (SourceInfo & { bytes: Uint8Array });

export interface PrepareOptions {
  /** Overrides what the file's content suggests. */
  task?: FileTask;
  /** `char`, `word`, `word:N`, `bpe:N` or `gpt2`. */
  tokenizer: string;
  /** Share kept for validation (default 0.1). */
  valFraction?: number;
  /** Seed of the row shuffle (default 1). */
  seed?: number;
  /** Cap on the word tokenizer's vocabulary when the spec gives none (`word` → `word:maxVocab`). */
  maxVocab?: number;
  maxBytes?: number;
  /** Fine-tuning: encode with this (the parent run's) tokenizer instead of learning one; `tokenizer` is ignored. */
  reuseTokenizer?: Tokenizer;
}

export interface PreparedDataset {
  name: string;
  task: Task;
  /** Next-token rows with the loss on the completion only. */
  promptCompletion: boolean;
  tokenizer: Tokenizer;
  /** V includes the padding id 0; C is 0 for next-token. */
  binding: Binding;
  /** Class names (classify) or tag names (tag), index = id; empty for next-token. */
  labels: string[];
  train: DataSplit;
  val: DataSplit;
  stats: { trainExamples: number; valExamples: number; trainTokens: number; valTokens: number };
}

export const DEFAULT_VAL_FRACTION = 0.1;
export const DEFAULT_SEED = 1;

export function prepareDataset(source: DataSource, options: PrepareOptions): PreparedDataset {
  const parseOpts = { task: options.task ?? source.task, columns: source.columns, maxBytes: options.maxBytes };
  const file = source.file ?? source.name;
  const parsed =
    'text' in source ? parseDataText(file, source.text, parseOpts) : parseDataBytes(file, source.bytes, parseOpts);
  return prepareParsed(parsed, options, source.name);
}

/** Split rows with a seeded shuffle: [train, val]. Keeps at least one training row. */
function splitRows<T>(rows: readonly T[], valFraction: number, seed: number): [T[], T[]] {
  const order = permutation(rows.length, mulberry32(seed)).map((i) => rows[i]);
  let nVal = Math.round(rows.length * valFraction);
  if (valFraction > 0 && nVal === 0 && rows.length > 1) nVal = 1;
  nVal = Math.min(nVal, rows.length - 1);
  return [order.slice(0, rows.length - nVal), order.slice(rows.length - nVal)];
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export function prepareParsed(parsed: ParsedData, options: PrepareOptions, name = parsed.file): PreparedDataset {
  const valFraction = options.valFraction ?? DEFAULT_VAL_FRACTION;
  if (!(valFraction >= 0 && valFraction < 1)) throw new Error(`valFraction must be in [0, 1), got ${valFraction}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const spec =
    options.maxVocab !== undefined && options.tokenizer.trim() === 'word'
      ? `word:${options.maxVocab}`
      : options.tokenizer;
  const done = (
    rest: Omit<PreparedDataset, 'name' | 'binding' | 'stats'>,
    trainExamples: number,
    valExamples: number,
  ): PreparedDataset => ({
    name,
    ...rest,
    binding: { vocabSize: rest.tokenizer.vocabSize, numClasses: rest.labels.length },
    stats: { trainExamples, valExamples, trainTokens: splitTokens(rest.train), valTokens: splitTokens(rest.val) },
  });

  switch (parsed.task) {
    case 'next-token': {
      let cut = Math.floor(parsed.text.length * (1 - valFraction));
      const c = parsed.text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut++; // never split a surrogate pair
      const trainText = parsed.text.slice(0, cut);
      const tokenizer = options.reuseTokenizer ?? createTokenizer(spec, trainText);
      const train: DataSplit = { kind: 'stream', ids: encodeToInt32(tokenizer, trainText) };
      const val: DataSplit = { kind: 'stream', ids: encodeToInt32(tokenizer, parsed.text.slice(cut)) };
      if (train.ids.length < 2) {
        throw new DataError(
          `${parsed.file} is too short to train on: its training part has ${train.ids.length} tokens.`,
          parsed.file,
        );
      }
      return done(
        { task: 'next-token', promptCompletion: false, tokenizer, labels: [], train, val },
        train.ids.length,
        val.ids.length,
      );
    }
    case 'prompt-completion': {
      const [tr, va] = splitRows(parsed.rows, valFraction, seed);
      const tokenizer =
        options.reuseTokenizer ??
        createTokenizer(
          spec,
          tr.flatMap((r) => [r.prompt, r.completion]),
        );
      const encode = (rows: typeof tr): DataSplit => {
        const out = rows.map((r) => {
          const p = tokenizer.encode(r.prompt);
          const c = tokenizer.encode(r.completion);
          const ids = Int32Array.from([...p, tokenizer.sepId, ...c, tokenizer.eosId]);
          const mask = new Uint8Array(ids.length).fill(1, p.length + 1);
          return { ids, mask };
        });
        return { kind: 'sequences', rows: out.map((o) => o.ids), lossMask: out.map((o) => o.mask) };
      };
      return done(
        { task: 'next-token', promptCompletion: true, tokenizer, labels: [], train: encode(tr), val: encode(va) },
        tr.length,
        va.length,
      );
    }
    case 'classify': {
      const [tr, va] = splitRows(parsed.rows, valFraction, seed);
      const labels = sortedUnique(parsed.rows.map((r) => r.label));
      const tokenizer =
        options.reuseTokenizer ??
        createTokenizer(
          spec,
          tr.map((r) => r.text),
        );
      const encode = (rows: typeof tr): DataSplit => ({
        kind: 'classify',
        rows: rows.map((r) => Int32Array.from(tokenizer.encode(r.text))),
        labels: Int32Array.from(rows, (r) => labels.indexOf(r.label)),
      });
      return done(
        { task: 'classify', promptCompletion: false, tokenizer, labels, train: encode(tr), val: encode(va) },
        tr.length,
        va.length,
      );
    }
    case 'tag': {
      const [tr, va] = splitRows(parsed.rows, valFraction, seed);
      const labels = sortedUnique(parsed.rows.flatMap((r) => r.tags));
      const tagId = new Map(labels.map((l, i) => [l, i]));
      const tokenizer =
        options.reuseTokenizer ??
        createTagTokenizer(
          spec,
          tr.map((r) => r.tokens),
        );
      const encode = (rows: typeof tr): DataSplit => {
        const out = rows.map((r) => {
          const { ids, wordIndex } = tokenizer.tokenizeWords(r.tokens);
          return {
            ids: Int32Array.from(ids),
            tags: Int32Array.from(wordIndex, (w) => (w < 0 ? -1 : (tagId.get(r.tags[w]) ?? -1))),
          };
        });
        return { kind: 'tag', rows: out.map((o) => o.ids), tags: out.map((o) => o.tags) };
      };
      return done(
        { task: 'tag', promptCompletion: false, tokenizer, labels, train: encode(tr), val: encode(va) },
        tr.length,
        va.length,
      );
    }
  }
}
