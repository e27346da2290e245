/**
 * What a user's data holds, before any training: the task its format says, how big it is, its labels and their
 * balance, a few rows, and the warnings a teacher needs before pressing Train (too short for the window, one
 * class dominating, not text at all). Pure and cheap: it parses the text once and never tokenizes it.
 */
import { DataError } from './errors';
import { parseDataText, type FileTask } from './formats';
import { DEFAULT_VAL_FRACTION } from './prepare';

export interface DataPreview {
  file: string;
  task?: FileTask;
  /** Rows for row data; lines for plain text. */
  rows: number;
  characters: number;
  /** Whitespace-separated words: a tokenizer-free size (a char tokenizer gives about `characters` tokens). */
  words: number;
  /** Labels (classification) or tags (tagging) with how many rows (tokens for tags) carry each, most first. */
  labels: { label: string; count: number }[];
  /** The first few rows as short text: "text → label", "prompt → completion", or lines. */
  sample: string[];
  /** One sentence each: things that make a run mislead, though it can start. */
  warnings: string[];
  /** True when only the first PREVIEW_CHARS were read for rows, labels and warnings (a big file). */
  partial?: boolean;
  /** Set when the data cannot train at all (binary, empty, malformed): Train stays disabled. */
  error?: string;
}

/** Above this share of rows, one class "dominates": a model that always says it scores that much. */
export const DOMINANT_SHARE = 0.7;
const SAMPLE_ROWS = 4;
/** A preview reads at most this much of the text (at a line end), so a huge file does not stall the editor. */
export const PREVIEW_CHARS = 2_000_000;
const SAMPLE_CHARS = 90;

const clip = (s: string): string => (s.length > SAMPLE_CHARS ? `${s.slice(0, SAMPLE_CHARS - 1)}…` : s);
const countWords = (s: string): number => (s.match(/\S+/g) ?? []).length;
const pct = (x: number): string => `${Math.round(100 * x)}%`;

function counted(values: Iterable<string>): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}

/**
 * `seqLen`: the graph's window T (when known), `tokenizer`: the spec the run would use (char, word…), both for
 * the "shorter than the window" check, which estimates tokens without tokenizing.
 */
export function previewData(file: string, text: string, opts: { seqLen?: number; tokenizer?: string } = {}): DataPreview {
  const partial = text.length > PREVIEW_CHARS;
  const head = partial ? text.slice(0, Math.max(text.lastIndexOf('\n', PREVIEW_CHARS), 1)) : text;
  const words = partial ? Math.round((countWords(head) * text.length) / head.length) : countWords(text);
  const base: DataPreview = {
    file,
    rows: 0,
    characters: text.length,
    words,
    labels: [],
    sample: [],
    warnings: [],
    ...(partial && { partial }),
  };
  // NUL bytes anywhere (not only in the part read) make it a binary file, as training will find.
  if (partial && text.includes('\0'))
    return { ...base, error: `${file} is a binary file, not text (it contains NUL bytes).` };
  let parsed;
  try {
    parsed = parseDataText(file, head);
  } catch (e) {
    if (e instanceof DataError) return { ...base, error: e.message };
    throw e;
  }
  const warnings: string[] = [];
  if (parsed.task === 'next-token') {
    const lines = parsed.text.split('\n').filter((l) => l.trim());
    const tokens = opts.tokenizer?.startsWith('char') === false ? base.words : base.characters;
    const unit = opts.tokenizer?.startsWith('char') === false ? 'words' : 'characters';
    const T = opts.seqLen;
    // Validation is the last 10% of the text: it must hold at least one window for its loss to mean anything.
    if (T && tokens * DEFAULT_VAL_FRACTION < T + 1)
      warnings.push(
        `${file} is about ${tokens.toLocaleString('en-US')} ${unit}, too short for a window of ${T}: its validation part (the last ${pct(DEFAULT_VAL_FRACTION)}) holds less than one window, so the model memorises the text and the validation loss rises. Use at least ${Math.ceil((T + 1) / DEFAULT_VAL_FRACTION).toLocaleString('en-US')} ${unit}, or a shorter window.`,
      );
    return { ...base, task: 'next-token', rows: lines.length, sample: lines.slice(0, SAMPLE_ROWS).map(clip), warnings };
  }
  if (parsed.task === 'classify') {
    const labels = counted(parsed.rows.map((r) => r.label));
    const top = labels[0];
    if (top && labels.length > 1 && top.count / parsed.rows.length > DOMINANT_SHARE)
      warnings.push(
        `“${top.label}” is ${pct(top.count / parsed.rows.length)} of the rows: a model that always answers “${top.label}” scores that much, so read accuracy against it (or balance the classes).`,
      );
    return {
      ...base,
      task: 'classify',
      rows: parsed.rows.length,
      labels,
      sample: parsed.rows.slice(0, SAMPLE_ROWS).map((r) => `${clip(r.text)} → ${r.label}`),
      warnings,
    };
  }
  if (parsed.task === 'tag') {
    return {
      ...base,
      task: 'tag',
      rows: parsed.rows.length,
      labels: counted(parsed.rows.flatMap((r) => r.tags)),
      sample: parsed.rows.slice(0, SAMPLE_ROWS).map((r) => clip(r.tokens.map((t, i) => `${t}/${r.tags[i]}`).join(' '))),
      warnings,
    };
  }
  return {
    ...base,
    task: 'prompt-completion',
    rows: parsed.rows.length,
    sample: parsed.rows.slice(0, SAMPLE_ROWS).map((r) => `${clip(r.prompt)} → ${clip(r.completion)}`),
    warnings,
  };
}

/** A sentence from the data for the tokenizer preview: the first row's text, or the first line. */
export function sampleSentence(preview: DataPreview): string | undefined {
  const first = preview.sample[0];
  if (!first) return undefined;
  const text = preview.task === 'classify' || preview.task === 'prompt-completion' ? first.split(' → ')[0] : first;
  return preview.task === 'tag' ? text.replace(/\/\S+/g, '') : text;
}
