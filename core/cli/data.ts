import { readFileSync, statSync } from 'node:fs';
import {
  bundledDataset,
  bundledSource,
  FILE_TASKS,
  prepareParsed,
  type FileTask,
  type ParsedData,
  type PreparedDataset,
} from '../data/index';
import { parseDataText } from '../data/formats';
import { bundledPath, readUserDataFile } from '../host-node/datasets';
import { UserError } from './errors';
import { checkPathKind } from './files';
import type { Tokenizer } from '../data/tokenizers/types';

export interface DataFlags {
  data: string;
  tokenizer?: string;
  task?: string;
  seed?: number;
  /** Fine-tuning: the parent run's tokenizer, used as is. */
  reuseTokenizer?: Tokenizer;
}

/** The tokenizer a dataset gets when --tokenizer is not given: characters for text, words for labelled rows. */
export const defaultTokenizerFor = (task: FileTask): string =>
  task === 'classify' || task === 'tag' ? 'word' : task === 'prompt-completion' ? 'bpe:500' : 'char';

/** The size in bytes of the file behind `--data` (a bundled set's or the user's), for the memory pre-flight. */
export function dataFileBytes(data: string): number {
  const set = bundledDataset(data);
  if (set) return statSync(bundledPath(set)).size;
  return checkPathKind(data, 'data file').size;
}

/** `--data D [--tokenizer K] [--task T]` → a prepared dataset (a bundled name or a file path). */
export function loadCliData(f: DataFlags): PreparedDataset {
  if (f.task !== undefined && !(FILE_TASKS as readonly string[]).includes(f.task)) {
    throw new UserError(`--task must be one of ${FILE_TASKS.join(', ')}, got "${f.task}".`);
  }
  const task = f.task as FileTask | undefined;
  const set = bundledDataset(f.data);
  let parsed: ParsedData;
  if (set) {
    const src = bundledSource(set, readFileSync(bundledPath(set), 'utf8'));
    parsed = parseDataText(src.file, src.text, { task: task ?? src.task, columns: src.columns });
  } else {
    parsed = readUserDataFile(f.data, { task });
  }
  const tokenizer = f.reuseTokenizer?.spec ?? f.tokenizer ?? set?.defaultTokenizer ?? defaultTokenizerFor(parsed.task);
  return prepareParsed(parsed, { tokenizer, seed: f.seed, reuseTokenizer: f.reuseTokenizer }, set?.name ?? f.data);
}
