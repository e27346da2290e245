/**
 * Node adapter for core/data: reads bundled and user data files from disk. Everything past the
 * bytes is the pure code in core/data, which the browser shares (it gets the files from Vite).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledDataset, BUNDLED_DATASETS, type BundledDataset } from '../data/bundled/manifest';
import { DataError } from '../data/errors';
import { checkDataSize, MAX_DATA_BYTES, parseDataBytes, type ParsedData, type ParseOptions } from '../data/formats';
import { prepareParsed, type PrepareOptions, type PreparedDataset } from '../data/prepare';

const BUNDLED_DIR = new URL('../data/bundled/', import.meta.url);

export function bundledPath(set: BundledDataset): string {
  return fileURLToPath(new URL(set.file, BUNDLED_DIR));
}

/** The text of a bundled dataset, by name (`shakespeare`, `sentiment`, …). */
export function loadBundledText(name: string): string {
  const set = bundledDataset(name);
  if (!set) {
    const names = BUNDLED_DATASETS.map((d) => d.name).join(', ');
    throw new DataError(`There is no bundled dataset "${name}"; the bundled sets are ${names}.`, name);
  }
  return readFileSync(bundledPath(set), 'utf8');
}

/** Read and parse a user's file: the size is checked before reading, then bytes go to the pure parser. */
export function readUserDataFile(path: string, options: ParseOptions = {}): ParsedData {
  const file = basename(path);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DataError(`${path} is not a file.`, file);
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`Cannot read ${path}: no such file, or no permission to read it.`, file);
  }
  checkDataSize(file, size, options.maxBytes ?? MAX_DATA_BYTES);
  return parseDataBytes(file, new Uint8Array(readFileSync(path)), options);
}

/** A bundled name or a path to a user file → a prepared dataset. */
export function loadDataset(nameOrPath: string, options: PrepareOptions): PreparedDataset {
  const set = bundledDataset(nameOrPath);
  const parseOpts = { task: options.task ?? set?.task, maxBytes: options.maxBytes };
  const parsed = set
    ? parseDataBytes(set.file, new Uint8Array(readFileSync(bundledPath(set))), { ...parseOpts, columns: set.columns })
    : readUserDataFile(nameOrPath, parseOpts);
  return prepareParsed(parsed, options, set?.name ?? parsed.file);
}
