/**
 * Fuzz: data files (encodings, separators, line endings, sizes, malformed lines) through
 * `check --data` and `train --steps 1`, in-process. Each case exits 0, or 1 with one sentence, and
 * `train` writes only its --out folder.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, tinyClassifier, tinyLm, writeGraph } from '../cli/helpers';
import { entries, expectBoundedMemory, expectCleanOutcome, timed } from './outcome';
import { FUZZ_SEED, runs } from './settings';

const dir = tempDir('wordloom-fuzz-data-');
const graphs = { lm: writeGraph(dir, tinyLm(), 'lm.json'), cls: writeGraph(dir, tinyClassifier(), 'cls.json') };

const cell = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('good', 'bad', 'pos', 'neg', 'the cat sat', '', ' ', '"quoted"', 'a\tb', '{', '}', '[1,2]', 'null', '日本語', '😀', 'e\u0301', '\u001b[2J') },
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constant('\u0000') },
);
const line = fc.array(cell, { minLength: 0, maxLength: 4 }).chain((cells) => fc.constantFrom('\t', ',', ';', ' ').map((sep) => cells.join(sep)));
const jsonLine = fc.oneof(
  fc.record({ text: cell, label: cell }).map((o) => JSON.stringify(o)),
  fc.record({ tokens: fc.array(cell, { maxLength: 4 }), tags: fc.array(cell, { maxLength: 4 }) }).map((o) => JSON.stringify(o)),
  fc.record({ prompt: cell, completion: cell }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 12 }),
);
const header = fc.constantFrom('text\tlabel', 'prompt\tcompletion', 'label\ttext', 'a\tb\tc', '', 'tokens\ttags');

/** File bytes: lines joined by LF, CRLF or CR, in UTF-8 (maybe with a BOM), UTF-16 or Latin-1. */
const dataFile = fc
  .record({
    ext: fc.constantFrom('.txt', '.tsv', '.jsonl', '.csv', '', '.md'),
    header,
    lines: fc.oneof(fc.array(line, { maxLength: 40 }), fc.array(jsonLine, { maxLength: 40 })),
    repeat: fc.constantFrom(1, 1, 1, 20, 200),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8-bom', 'utf16le-bom', 'latin1', 'truncated-utf8'),
  })
  .map(({ ext, header, lines, repeat, eol, encoding }) => {
    const body = [header, ...Array.from({ length: repeat }, () => lines).flat()].join(eol);
    const utf8 = Buffer.from(body, 'utf8');
    const bytes =
      encoding === 'utf8-bom'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])
        : encoding === 'utf16le-bom'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')])
          : encoding === 'latin1'
            ? Buffer.from(body, 'latin1')
            : encoding === 'truncated-utf8'
              ? Buffer.concat([utf8, Buffer.from([0xe6, 0x97])])
              : utf8;
    return { name: `data${ext}`, bytes };
  });

let n = 0;
describe('fuzz: data files', () => {
  it('check --data: exit 0, or 1 with one sentence per problem', async () => {
    await fc.assert(
      fc.asyncProperty(dataFile, fc.constantFrom('lm', 'cls'), fc.constantFrom(undefined, 'char', 'word', 'bpe:20'), async (f, g, tok) => {
        const file = join(dir, `${n++}-${f.name}`);
        writeFileSync(file, f.bytes);
        const r = await timed(20_000, () => runCli(['check', graphs[g as 'lm' | 'cls'], '--data', file, ...(tok ? ['--tokenizer', tok] : [])]));
        expectCleanOutcome(r);
      }),
      { seed: FUZZ_SEED + 10, numRuns: runs(120, 'data: check --data') },
    );
    expectBoundedMemory();
  });

  it('train --steps 1: exit 0 with a run folder, or 1 with one sentence and nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(dataFile, fc.constantFrom('lm', 'cls'), async (f, g) => {
        const sandbox = join(dir, `train-${n++}`);
        mkdirSync(sandbox);
        const file = join(sandbox, f.name);
        writeFileSync(file, f.bytes);
        const out = join(sandbox, 'run');
        const args = ['train', graphs[g as 'lm' | 'cls'], '--data', file, '--steps', '1', '--batch', '2', '--backend', 'cpu', '--out', out];
        const r = await timed(30_000, () => runCli(args));
        expectCleanOutcome(r, true);
        expect(entries(sandbox)).toEqual(r.code === 0 ? [f.name, 'run'].sort() : [f.name]);
        if (r.code === 0) expect(entries(out)).toEqual(['model.json', 'run.json', 'tokenizer.json', 'weights.bin']);
      }),
      { seed: FUZZ_SEED + 11, numRuns: runs(25, 'data: train --steps 1') },
    );
    expectBoundedMemory();
  });
});
