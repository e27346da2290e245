/** JSON Lines: one object per line. Fields are read by name; extra fields are ignored. */
import { DataError } from './errors';
import { checkTwoLabels } from './formats-check';
import type { ParseOptions, ParsedData, FileTask } from './formats';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function guessTask(o: Obj): { task: FileTask; a: string; b: string } | undefined {
  if ('tokens' in o && 'tags' in o) return { task: 'tag', a: 'tokens', b: 'tags' };
  if ('prompt' in o && 'completion' in o) return { task: 'prompt-completion', a: 'prompt', b: 'completion' };
  if ('instruction' in o && 'response' in o) return { task: 'prompt-completion', a: 'instruction', b: 'response' };
  if ('text' in o && 'label' in o) return { task: 'classify', a: 'text', b: 'label' };
  return undefined;
}

export function parseJsonl(file: string, text: string, options: ParseOptions): ParsedData {
  const objs: { n: number; o: Obj }[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      throw new DataError(`${file} line ${i + 1} is not valid JSON.`, file, i + 1);
    }
    if (!isObj(v)) throw new DataError(`${file} line ${i + 1} is not a JSON object.`, file, i + 1);
    objs.push({ n: i + 1, o: v });
  });
  const cols = options.columns;
  const fromColumns =
    cols?.prompt && cols.completion
      ? { task: 'prompt-completion' as const, a: cols.prompt, b: cols.completion }
      : cols?.text && cols.label
        ? { task: 'classify' as const, a: cols.text, b: cols.label }
        : undefined;
  const guess = fromColumns ?? guessTask(objs[0].o);
  if (!guess) {
    throw new DataError(
      `${file} line ${objs[0].n} has none of the field pairs tokens/tags, prompt/completion, instruction/response or text/label.`,
      file,
      objs[0].n,
    );
  }
  const task = options.task ?? guess.task;
  const { a, b } = guess;
  const str = (x: { n: number; o: Obj }, key: string): string => {
    const v = x.o[key];
    if (typeof v === 'string') return v;
    if (key === b && task === 'classify' && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
    throw new DataError(`${file} line ${x.n} has no "${key}" string.`, file, x.n);
  };
  if (task === 'tag') {
    if (guess.task !== 'tag')
      throw new DataError(`${file} has no "tokens" and "tags" arrays, which tagging needs.`, file);
    const rows = objs.map((x) => {
      const { tokens, tags } = x.o;
      if (!isStrings(tokens)) throw new DataError(`${file} line ${x.n} has no "tokens" array of strings.`, file, x.n);
      if (!isStrings(tags)) throw new DataError(`${file} line ${x.n} has no "tags" array of strings.`, file, x.n);
      if (tokens.length !== tags.length) {
        throw new DataError(`${file} line ${x.n} has ${tokens.length} tokens but ${tags.length} tags.`, file, x.n);
      }
      if (tokens.length === 0) throw new DataError(`${file} line ${x.n} has no tokens.`, file, x.n);
      return { tokens, tags };
    });
    checkTwoLabels(
      file,
      rows.flatMap((r) => r.tags),
      'tag',
    );
    return { task, file, rows };
  }
  if (guess.task === 'tag') {
    if (task === 'next-token')
      return {
        task,
        file,
        text: objs.map((x) => (isStrings(x.o.tokens) ? x.o.tokens.join(' ') : '')).join('\n') + '\n',
      };
    throw new DataError(`${file} holds tagging data (tokens and tags), not ${task} data.`, file);
  }
  if (task === 'next-token') return { task, file, text: objs.map((x) => str(x, a)).join('\n') + '\n' };
  if (task === 'prompt-completion')
    return { task, file, rows: objs.map((x) => ({ prompt: str(x, a), completion: str(x, b) })) };
  const rows = objs.map((x) => ({ text: str(x, a), label: str(x, b).trim() }));
  const empty = rows.findIndex((r) => r.label === '');
  if (empty >= 0) throw new DataError(`${file} line ${objs[empty].n} has an empty label.`, file, objs[empty].n);
  checkTwoLabels(
    file,
    rows.map((r) => r.label),
    'label',
  );
  return { task, file, rows };
}
