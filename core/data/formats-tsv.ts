/** Tab-separated files: no quoting, one row per line (the bundled sets are written this way). */
import { DataError } from './errors';
import { checkTwoLabels } from './formats-check';
import type { ParseOptions, ParsedData } from './formats';

interface Line {
  n: number; // 1-based line number in the file
  cells: string[];
}

const HEADER_PAIRS: readonly [string, string, 'classify' | 'prompt-completion'][] = [
  ['text', 'label', 'classify'],
  ['prompt', 'completion', 'prompt-completion'],
  ['instruction', 'response', 'prompt-completion'],
];

export function parseTsv(file: string, text: string, options: ParseOptions): ParsedData {
  const lines: Line[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() !== '') lines.push({ n: i + 1, cells: l.split('\t') });
  });
  if (options.task === 'tag') {
    throw new DataError(`${file} is a TSV file; tagging data must be JSONL with "tokens" and "tags" arrays.`, file);
  }
  const head = lines[0].cells.map((c) => c.trim().toLowerCase());
  const cols = options.columns;
  // Which two columns to read, and the task they imply.
  let pick: { a: number; b: number; task: 'classify' | 'prompt-completion'; names: string } | undefined;
  const wanted =
    cols?.prompt && cols.completion
      ? [cols.prompt, cols.completion]
      : cols?.text && cols.label
        ? [cols.text, cols.label]
        : undefined;
  if (wanted) {
    const [a, b] = wanted.map((w) => head.indexOf(w.toLowerCase()));
    if (a < 0 || b < 0)
      throw new DataError(`${file} line 1 has no "${wanted[0]}" and "${wanted[1]}" columns.`, file, 1);
    pick = { a, b, task: cols?.prompt ? 'prompt-completion' : 'classify', names: wanted.join(', ') };
  } else {
    for (const [x, y, task] of HEADER_PAIRS) {
      if (head.includes(x) && head.includes(y)) {
        pick = { a: head.indexOf(x), b: head.indexOf(y), task, names: `${x}, ${y}` };
        break;
      }
    }
  }
  const header = pick !== undefined;
  const rows = header ? lines.slice(1) : lines;
  const width = header ? head.length : 2;
  const a = pick?.a ?? 0;
  const b = pick?.b ?? 1;
  const task = options.task ?? pick?.task ?? 'classify';
  if (rows.length === 0) throw new DataError(`${file} has a header but no rows.`, file);
  for (const r of rows) {
    if (r.cells.length !== width) {
      const expected = header ? `the header has ${width}` : 'expected 2 (text<TAB>label)';
      throw new DataError(
        `${file} line ${r.n} has ${r.cells.length} column${r.cells.length === 1 ? '' : 's'}; ${expected}.`,
        file,
        r.n,
      );
    }
  }
  if (task === 'next-token') {
    // A corpus made of the first picked column (text or prompt), one row per line.
    return { task, file, text: rows.map((r) => r.cells[a]).join('\n') + '\n' };
  }
  if (task === 'prompt-completion') {
    return { task, file, rows: rows.map((r) => ({ prompt: r.cells[a], completion: r.cells[b] })) };
  }
  if (header && pick?.task === 'prompt-completion' && options.task === 'classify' && !wanted) {
    throw new DataError(`${file} has prompt and completion columns, not text and label.`, file, 1);
  }
  const out = rows.map((r) => ({ text: r.cells[a], label: r.cells[b].trim() }));
  const empty = out.findIndex((r) => r.label === '');
  if (empty >= 0) throw new DataError(`${file} line ${rows[empty].n} has an empty label.`, file, rows[empty].n);
  checkTwoLabels(
    file,
    out.map((r) => r.label),
    'label',
  );
  return { task, file, rows: out };
}
