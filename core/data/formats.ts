/**
 * Reading user data files (docs/data-formats.md). Pure: a file name plus its bytes or text in, rows out, or a
 * DataError whose message names the file (and the line). No fs here; core/host-node and the renderer read files.
 *
 * Recognised by extension, then content (`task` overrides the guess):
 *   .txt                                   → next-token corpus
 *   .tsv  header with text + label (others ignored), or two unnamed columns → classify
 *   .tsv  header prompt + completion (or instruction + response)             → prompt-completion
 *   .jsonl tokens + tags arrays            → tag
 *   .jsonl prompt/completion or instruction/response → prompt-completion; text + label → classify
 * Any other extension is sniffed: a first line starting with `{` is JSONL, one with a tab is TSV, else text.
 * CRLF becomes LF and a leading BOM is dropped.
 */
import { DataError } from './errors';
import { decodeUtf8 } from './utf8';
import { parseTsv } from './formats-tsv';
import { parseJsonl } from './formats-jsonl';

export { checkTwoLabels } from './formats-check';

/** What a file holds. `prompt-completion` trains a next-token model with the loss on the completion only. */
export type FileTask = 'next-token' | 'classify' | 'tag' | 'prompt-completion';
export const FILE_TASKS: readonly FileTask[] = ['next-token', 'classify', 'tag', 'prompt-completion'];

/** Which columns (TSV header names) or fields (JSONL keys) to read. */
export interface ColumnMap {
  text?: string;
  label?: string;
  prompt?: string;
  completion?: string;
}

export interface ClassifyRow {
  text: string;
  label: string;
}
export interface TagRow {
  tokens: string[];
  tags: string[];
}
export interface PromptCompletionRow {
  prompt: string;
  completion: string;
}

export type ParsedData =
  | { task: 'next-token'; file: string; text: string }
  | { task: 'classify'; file: string; rows: ClassifyRow[] }
  | { task: 'tag'; file: string; rows: TagRow[] }
  | { task: 'prompt-completion'; file: string; rows: PromptCompletionRow[] };

export interface ParseOptions {
  task?: FileTask;
  columns?: ColumnMap;
  /** Files larger than this are refused before decoding (default 200 MB). */
  maxBytes?: number;
}

export const MAX_DATA_BYTES = 200 * 1024 * 1024;

function size(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** The size check on its own, so an adapter can run it on a file's size before reading it. */
export function checkDataSize(file: string, byteLength: number, maxBytes = MAX_DATA_BYTES): void {
  if (byteLength > maxBytes) {
    throw new DataError(`${file} is ${size(byteLength)}; files over ${size(maxBytes)} do not fit in memory.`, file);
  }
}

/** Parse raw file bytes: size, empty, binary and UTF-8 checks, then `parseDataText`. */
export function parseDataBytes(file: string, bytes: Uint8Array, options: ParseOptions = {}): ParsedData {
  checkDataSize(file, bytes.length, options.maxBytes);
  if (bytes.length === 0) throw new DataError(`${file} is empty.`, file);
  if (bytes.indexOf(0) >= 0) throw new DataError(`${file} is a binary file, not text (it contains NUL bytes).`, file);
  const native = nativeDecode(bytes);
  if (native !== undefined) return parseDataText(file, native, options);
  const decoded = decodeUtf8(bytes, true);
  if (!decoded.ok) {
    let line = 1;
    for (let i = 0; i < decoded.offset; i++) if (bytes[i] === 0x0a) line++;
    throw new DataError(`${file} is not UTF-8 text (invalid byte on line ${line}).`, file, line);
  }
  return parseDataText(file, decoded.text, options);
}

interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
type DecoderClass = new (label: string, options: { fatal: boolean }) => Utf8Decoder;

/**
 * The platform's strict UTF-8 decoder where there is one (Node, browsers, workers): for a 190 MB file
 * it is many times faster than decodeUtf8 and builds no intermediate strings. Undefined when there is
 * none or the bytes are not UTF-8 (decodeUtf8 then finds the line).
 */
function nativeDecode(bytes: Uint8Array): string | undefined {
  const Decoder = (globalThis as { TextDecoder?: DecoderClass }).TextDecoder;
  if (!Decoder) return undefined;
  try {
    return new Decoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parse a file already decoded to text (bundled sets, Vite `?raw` imports, tests). */
export function parseDataText(file: string, rawText: string, options: ParseOptions = {}): ParsedData {
  // A UTF-16 string is at least as many bytes as code units, so this never lets a too-large file through.
  checkDataSize(file, rawText.length, options.maxBytes);
  // No copies of a big text beyond these two (each a no-op when there is nothing to replace).
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!/\S/.test(text)) throw new DataError(`${file} is empty.`, file);
  if (text.includes('\0')) throw new DataError(`${file} is a binary file, not text (it contains NUL bytes).`, file);
  const format = detectFormat(file, text);
  if (format === 'text') {
    if (options.task && options.task !== 'next-token') {
      throw new DataError(
        `${file} is plain text, which can only train next-token prediction, not ${options.task}.`,
        file,
      );
    }
    return { task: 'next-token', file, text };
  }
  return format === 'tsv' ? parseTsv(file, text, options) : parseJsonl(file, text, options);
}

export type FileFormat = 'text' | 'tsv' | 'jsonl';

export function detectFormat(file: string, text: string): FileFormat {
  const ext = /\.([^./\\]+)$/.exec(file.toLowerCase())?.[1] ?? '';
  if (ext === 'txt' || ext === 'text' || ext === 'md') return 'text';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  const first = firstLine(text);
  if (first.trimStart().startsWith('{')) return 'jsonl';
  if (first.includes('\t')) return 'tsv';
  return 'text';
}

/** The first line that is not blank, found without splitting the whole text into lines. */
function firstLine(text: string): string {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.trim() !== '') return line;
    start = end + 1;
  }
  return '';
}
