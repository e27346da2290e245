import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DataError, parseDataBytes, parseDataText, type ParsedData } from '../../../core/data/index';
import { readUserDataFile } from '../../../core/host-node/datasets';

const fixture = (p: string): string => fileURLToPath(new URL(`../../fixtures/data/${p}`, import.meta.url));

function caught(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('format detection by content', () => {
  const cases: [string, ParsedData['task'], (d: ParsedData) => void][] = [
    ['good/tiny.txt', 'next-token', (d) => d.task === 'next-token' && expect(d.text).toMatch(/^To be, or not/)],
    [
      'good/reviews.tsv',
      'classify',
      (d) => d.task === 'classify' && expect(d.rows[1]).toEqual({ text: 'Terrible, do not buy.', label: 'negative' }),
    ],
    [
      'good/unnamed.tsv',
      'classify',
      (d) => d.task === 'classify' && expect(d.rows.map((r) => r.label)).toEqual(['pos', 'neg', 'pos']),
    ],
    [
      'good/qa.tsv',
      'prompt-completion',
      (d) => d.task === 'prompt-completion' && expect(d.rows[0]).toEqual({ prompt: 'hello', completion: 'bonjour' }),
    ],
    [
      'good/tags.jsonl',
      'tag',
      (d) => d.task === 'tag' && expect(d.rows[1]).toEqual({ tokens: ['Dogs', 'bark'], tags: ['NOUN', 'VERB'] }),
    ],
    [
      'good/qa.jsonl',
      'prompt-completion',
      (d) => d.task === 'prompt-completion' && expect(d.rows[1].completion).toBe('Paris'),
    ],
    [
      'good/instr.jsonl',
      'prompt-completion',
      (d) =>
        d.task === 'prompt-completion' && expect(d.rows[1]).toEqual({ prompt: 'Say hi.', completion: 'Hi!\nHello.' }),
    ],
  ];
  for (const [file, task, check] of cases) {
    it(`reads ${file} as ${task}`, () => {
      const d = readUserDataFile(fixture(file));
      expect(d.task).toBe(task);
      check(d);
    });
  }

  it('sniffs files without a known extension', () => {
    expect(parseDataText('data', '{"tokens":["a","b"],"tags":["X","Y"]}\n').task).toBe('tag');
    expect(parseDataText('data', 'good\tpos\nbad\tneg\n').task).toBe('classify');
    expect(parseDataText('data', 'just some words\n').task).toBe('next-token');
  });

  it('an explicit task overrides the guess', () => {
    const pc = parseDataText('pairs.tsv', 'hello\tbonjour\ncat\tchat\n', { task: 'prompt-completion' });
    expect(pc).toEqual({
      task: 'prompt-completion',
      file: 'pairs.tsv',
      rows: [
        { prompt: 'hello', completion: 'bonjour' },
        { prompt: 'cat', completion: 'chat' },
      ],
    });
    const corpus = parseDataText('r.tsv', 'text\tlabel\nI loved it.\tpositive\nBad.\tnegative\n', {
      task: 'next-token',
    });
    expect(corpus).toEqual({ task: 'next-token', file: 'r.tsv', text: 'I loved it.\nBad.\n' });
  });

  it('named columns pick the prompt and completion (bundled translation header en/fr)', () => {
    const d = parseDataText('t.tsv', 'en\tfr\nGo.\tVa !\n', {
      task: 'prompt-completion',
      columns: { prompt: 'en', completion: 'fr' },
    });
    expect(d).toEqual({ task: 'prompt-completion', file: 't.tsv', rows: [{ prompt: 'Go.', completion: 'Va !' }] });
  });

  it('drops a BOM and CRLF line ends', () => {
    const d = parseDataBytes(
      'w.tsv',
      new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('text\tlabel\r\na\tx\r\nb\ty\r\n')]),
    );
    expect(d).toEqual({
      task: 'classify',
      file: 'w.tsv',
      rows: [
        { text: 'a', label: 'x' },
        { text: 'b', label: 'y' },
      ],
    });
  });
});

describe('bad files give one sentence naming the file (and line)', () => {
  const cases: [string, string, number | undefined][] = [
    ['bad/empty.txt', 'empty.txt is empty.', undefined],
    ['bad/binary.dat', 'binary.dat is a binary file, not text (it contains NUL bytes).', undefined],
    ['bad/latin1.txt', 'latin1.txt is not UTF-8 text (invalid byte on line 3).', 3],
    ['bad/columns.tsv', 'columns.tsv line 3 has 3 columns; the header has 2.', 3],
    ['bad/columns-unnamed.tsv', 'columns-unnamed.tsv line 3 has 1 column; expected 2 (text<TAB>label).', 3],
    ['bad/json.jsonl', 'json.jsonl line 2 is not valid JSON.', 2],
    ['bad/mismatch.jsonl', 'mismatch.jsonl line 2 has 3 tokens but 2 tags.', 2],
    [
      'bad/one-class.tsv',
      'one-class.tsv has only one label ("positive"); classification needs at least two.',
      undefined,
    ],
    [
      'bad/fields.jsonl',
      'fields.jsonl line 1 has none of the field pairs tokens/tags, prompt/completion, instruction/response or text/label.',
      1,
    ],
  ];
  for (const [file, message, line] of cases) {
    it(file, () => {
      const e = caught(() => readUserDataFile(fixture(file)));
      expect(e.message).toBe(message);
      expect(e.line).toBe(line);
      expect(e.file).toBe(file.split('/')[1]);
    });
  }

  it('too large for memory: refused on the size, before reading', () => {
    const e = caught(() => readUserDataFile(fixture('good/tiny.txt'), { maxBytes: 50 }));
    expect(e.message).toBe('tiny.txt is 84 bytes; files over 50 bytes do not fit in memory.');
    const big = caught(() =>
      parseDataBytes('huge.txt', new Uint8Array(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 }),
    );
    expect(big.message).toBe('huge.txt is 3.0 MB; files over 2.0 MB do not fit in memory.');
  });

  it('a missing file is a sentence, not a stack trace', () => {
    expect(caught(() => readUserDataFile(fixture('nope.txt'))).message).toMatch(
      /^Cannot read .*nope\.txt: no such file/,
    );
  });

  it('a task the file cannot hold', () => {
    expect(caught(() => parseDataText('a.txt', 'hello', { task: 'classify' })).message).toBe(
      'a.txt is plain text, which can only train next-token prediction, not classify.',
    );
    expect(
      caught(() => parseDataText('t.jsonl', '{"tokens":["a"],"tags":["X"]}\n', { task: 'classify' })).message,
    ).toBe('t.jsonl holds tagging data (tokens and tags), not classify data.');
  });
});
