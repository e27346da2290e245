import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenizerSource } from '../../../../core/export/pytorch/tokenizer-py';
import { createTagTokenizer, createTokenizer } from '../../../../core/data/tokenizers/index';
import type { Tokenizer } from '../../../../core/data/tokenizers/types';
import { removeTempDirs, ROOT, writeFiles } from './helpers';

/** Any Python 3: the tokenizers need only the standard library. */
const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import unicodedata']).status === 0);
const NEEDS_PY = PY ? '' : ' (skipped: no python3 installed)';

afterAll(removeTempDirs);

const bundled = (file: string): string => readFileSync(join(ROOT, 'core/data/bundled', file), 'utf8');
const lines = (file: string, from: number, to: number): string[] => bundled(file).split('\n').slice(from, to);

const TRICKY = [
  "We'll go -- now... isn't it?\n\nNew   line\tand a tab",
  'Ünïcödé ß straße İstanbul ΣΑΣ ÉCOLE',
  "a’b 'tis don't 'll 've 'S 're 'd 'm 't",
  '1,000.50 $% x!!y ??? -- ...',
  'before<|sep|>between<|endoftext|>after <|sep|>',
  '  leading and trailing   ',
  'e\u0301 combining, 😀 emoji, 日本語 and 한국어',
  'tabs\t\tand\u00a0nbsp\u3000ideographic space\r\nCRLF',
  '',
];

const SCRIPT = `
import json, re, sys, unicodedata
${tokenizerSource}
case = json.load(open(sys.argv[1], encoding="utf-8"))
tok = Tokenizer(case["spec"])
out = {"encode": [tok.encode(t) for t in case["texts"]], "words": [list(tok.tokenize_words(w)) for w in case["words"]]}
out["decode"] = [tok.decode(ids) for ids in out["encode"]]
print(json.dumps(out))
`;

/** Python's ids for the texts and the word lists, from the tokenizer's JSON. */
interface PythonIds {
  encode: number[][];
  decode: string[];
  words: [number[], number[]][];
}

function pythonIds(tok: Tokenizer, texts: string[], words: string[][]): PythonIds {
  if (!PY) throw new Error('no python');
  const dir = writeFiles({}, 'wordloom-tok-');
  writeFileSync(join(dir, 'tok.py'), SCRIPT);
  writeFileSync(join(dir, 'case.json'), JSON.stringify({ spec: tok.toJSON(), texts, words }));
  const r = spawnSync(PY, ['tok.py', 'case.json'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as PythonIds;
}

function expectSameIds(tok: Tokenizer, texts: string[], words: string[][]): void {
  const py = pythonIds(tok, texts, words);
  texts.forEach((t, i) => {
    const ids = tok.encode(t);
    expect(py.encode[i], JSON.stringify(t.slice(0, 80))).toEqual(ids);
    expect(py.decode[i], JSON.stringify(t.slice(0, 80))).toBe(tok.decode(ids));
  });
  words.forEach((w, i) => {
    const { ids, wordIndex } = tok.tokenizeWords(w);
    expect(py.words[i], w.join(' ')).toEqual([ids, wordIndex]);
  });
}

const posSentences = (from: number, to: number): string[][] =>
  lines('pos.jsonl', from, to).map((l) => (JSON.parse(l) as { tokens: string[] }).tokens);

describe("train.py's tokenizers give Wordloom's ids and texts", () => {
  it.skipIf(!PY)(`char: Shakespeare, unknown characters and the special tokens${NEEDS_PY}`, () => {
    const text = bundled('shakespeare.txt');
    const tok = createTokenizer('char', text.slice(0, 50_000));
    expectSameIds(tok, [text.slice(50_000, 70_000), ...TRICKY], [...posSentences(0, 40), ['É', ' ', 'x']]);
  });

  it.skipIf(!PY)(`word: review sentences, apostrophes, punctuation runs, case and Unicode${NEEDS_PY}`, () => {
    const rows = lines('sentiment.tsv', 1, 3001).map((l) => l.split('\t')[0] ?? '');
    const tok = createTokenizer('word:2000', rows.slice(0, 2500));
    expectSameIds(tok, [...rows.slice(2500), ...TRICKY], []);
    const tags = createTagTokenizer('word:3000', posSentences(0, 2000));
    expectSameIds(tags, TRICKY, [...posSentences(2000, 2300), ['U.S.', "can't", 'ÉCOLE']]);
  });

  it.skipIf(!PY)(
    `bpe: byte-level merges on French and English, GPT-2 chunking of spaces, digits and marks${NEEDS_PY}`,
    () => {
      const rows = lines('translation-en-fr.tsv', 1, 3001).flatMap((l) => l.split('\t'));
      const tok = createTokenizer('bpe:300', rows.slice(0, 5000));
      expectSameIds(tok, [rows.slice(5000).join('\n'), ...TRICKY], []);
      const tags = createTagTokenizer('bpe:200', posSentences(0, 1000));
      expectSameIds(tags, TRICKY, posSentences(1000, 1300));
    },
  );
});
