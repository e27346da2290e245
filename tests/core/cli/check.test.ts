import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setBindingResolver } from '../../../core/cli/binding';
import { main } from '../../../core/cli/main';
import { compact } from '../../../core/cli/table';
import { fakeRegistry } from '../shapes/fake-catalog';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOOD = join(ROOT, 'tests/fixtures/graphs/v1/mini-classifier.wordloom.json');
const BAD = join(ROOT, 'tests/fixtures/graphs/bad-wiring.wordloom.json');

/** docs/cli.md's `check --json` shape (extra fields allowed). */
const checkJson = z.object({
  ok: z.boolean(),
  nodes: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      shape: z.array(z.number()).nullable(),
      params: z.number().nullable(),
      error: z.string().optional(),
    }),
  ),
  errors: z.array(z.object({ node: z.string().optional(), edge: z.string().optional(), message: z.string() })),
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    isTTY: false,
    registry: fakeRegistry,
  });
  return { code, stdout, stderr, errLines: stderr.split('\n').filter(Boolean) };
}

/** One sentence: one line ending with a full stop, no stack frames. */
const expectSentence = (line: string) => {
  expect(line).toMatch(/^\S.*\.$/);
  expect(line).not.toMatch(/\bat \S+ \(|\bat file:|\.ts:\d+/);
};

afterEach(() => setBindingResolver(undefined));

describe('wordloom check (plain output)', () => {
  it('prints an aligned table of shapes and params, the assumed binding, and exits 0', async () => {
    const r = await run('check', GOOD);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain("V=67, C=2 assumed; pass --data to use a dataset's.");
    const rows = r.stdout.split('\n');
    const header = rows.find((l) => l.startsWith('node'));
    const pool = rows.find((l) => l.startsWith('pool '));
    expect(pool).toMatch(/^pool\s+MeanPool\s+vector \[64\]\s+0\s+ok$/);
    expect(rows.find((l) => l.startsWith('emb '))).toMatch(/sequence \[32, 64\]\s+4,288\s+ok$/);
    // Aligned: every row's "params" column ends where the header's does.
    const end = (header?.indexOf('params') ?? 0) + 'params'.length;
    expect(pool?.slice(0, end).endsWith('0')).toBe(true);
    expect(r.stdout).toContain('No errors.');
  });

  it('on a bad graph exits 1 and prints each error as one sentence on stderr', async () => {
    const r = await run('check', BAD);
    expect(r.code).toBe(1);
    expect(r.errLines).toHaveLength(3);
    r.errLines.forEach(expectSentence);
    expect(r.stderr).toContain('Embedding "emb": dim must be between 1 and 4096, got 0.');
    expect(r.stderr).toContain('Node "mystery" has an unknown type "Mystery".');
    expect(r.stderr).toContain('Edge "e3" goes to "gone", which is not in the graph.');
    expect(r.stdout).toContain('3 errors.');
    expect(r.stdout).toMatch(/^head\s+NextTokenHead\s+—\s+—\s+skipped$/m);
  });
});

describe('compact numbers in the totals line', () => {
  it.each([
    [999, '999'],
    [1000, '1k'],
    [100_000, '100k'],
    [1_500_000, '1.5M'],
    [1_234_567, '1.23M'],
    [2e9, '2G'],
  ])('%d → %s', (n, text) => expect(compact(n)).toBe(text));
});

describe('wordloom check --json', () => {
  it('matches the docs/cli.md schema on a good graph', async () => {
    const r = await run('check', GOOD, '--json');
    expect(r.code).toBe(0);
    const report = checkJson.parse(JSON.parse(r.stdout));
    expect(report.ok).toBe(true);
    expect(report.nodes.find((n) => n.id === 'head')).toMatchObject({ type: 'ClassifierHead', shape: [2], params: 64 });
  });

  it('names the node or edge of every error on a bad graph', async () => {
    const r = await run('check', BAD, '--json');
    expect(r.code).toBe(1);
    const report = checkJson.parse(JSON.parse(r.stdout));
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.node ?? e.edge).sort()).toEqual(['e3', 'emb', 'mystery']);
    expect(report.nodes.find((n) => n.id === 'emb')?.error).toMatch(/dim must be between/);
    expect(report.nodes.find((n) => n.id === 'head')).toMatchObject({ shape: null, params: null });
  });

  it('reports bad JSON in the file as a failed check, naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wordloom-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "format": "wordloom-graph",\n  "version": 1\n  "nodes": []\n}');
    const r = await run('check', file, '--json');
    expect(r.code).toBe(1);
    const report = checkJson.parse(JSON.parse(r.stdout));
    expect(report.errors[0].message).toMatch(/broken\.json is not valid JSON: line 4/);
    const plain = await run('check', file);
    expect(plain.errLines).toHaveLength(1);
    expectSentence(plain.errLines[0]);
  });
});

describe('wordloom binding', () => {
  it('uses the registered dataset resolver for --data and --tokenizer', async () => {
    setBindingResolver(async (data, tokenizer) => {
      expect([data, tokenizer]).toEqual(['sentiment', 'word']);
      return { vocabSize: 1000, numClasses: 5 };
    });
    const r = await run('check', GOOD, '--data', 'sentiment', '--tokenizer=word');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('V=1000, C=5 from sentiment.');
    expect(r.stdout).toMatch(/^head\s+ClassifierHead\s+logits \[5\]\s+160\s+ok$/m);
  });

  it('says so when no dataset resolver is registered, or --tokenizer comes without --data', async () => {
    for (const argv of [
      ['--data', 'x'],
      ['--tokenizer', 'char'],
    ]) {
      const r = await run('check', GOOD, ...argv);
      expect(r.code).toBe(1);
      expect(r.errLines).toHaveLength(1);
      expectSentence(r.errLines[0]);
    }
  });
});

describe('wordloom user mistakes: one sentence on stderr, exit 1', () => {
  it.each([
    [['check', '/no/such/graph.json'], 'There is no file "/no/such/graph.json".'],
    [['check'], /^wordloom check takes one graph file, got none/],
    [['check', GOOD, GOOD], /got 2/],
    [['check', GOOD, '--frobnicate'], 'Unknown option --frobnicate for "wordloom check" (see wordloom check --help).'],
    [['check', GOOD, '--data'], 'Option --data of "wordloom check" needs a value.'],
    [['check', GOOD, '--json=yes'], /takes no value/],
    [['check', ROOT], /is a folder, not a graph file\.$/],
    [['trian', GOOD], /^Unknown command "trian"; wordloom knows check/],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errLines).toHaveLength(1);
    expectSentence(r.errLines[0]);
    if (typeof message === 'string') expect(r.errLines[0]).toBe(message);
    else expect(r.errLines[0]).toMatch(message);
  });

  it('--help prints usage and exits 0; no command prints usage and exits 1', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('wordloom check <graph.json> [--data D] [--tokenizer K] [--batch B] [--memory SIZE] [--json]');
    expect((await run('check', '--help')).stdout).toMatch(/^Usage: wordloom check/);
    const none = await run();
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Usage: wordloom');
  });
});

describe('the wordloom bin', () => {
  const exec = promisify(execFile);
  const spawnCode = async (cmd: string, args: string[]) => {
    try {
      const { stdout, stderr } = await exec(cmd, args, { cwd: ROOT });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('runs check from a real process: exit 1 on a bad graph, sentences, no stack trace', async () => {
    const r = await spawnCode(process.execPath, ['bin/wordloom.js', 'check', BAD]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    r.stderr.split('\n').filter(Boolean).forEach(expectSentence);
    expect(r.stderr).toContain('Node "mystery" has an unknown type "Mystery".');
  });

  it('works as `npx wordloom check <file> --json` from the repo root', async () => {
    const r = await spawnCode('npx', [
      '--offline',
      'wordloom',
      'check',
      'tests/fixtures/graphs/bad-wiring.wordloom.json',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = checkJson.parse(JSON.parse(r.stdout));
    expect(report.errors.some((e) => e.edge === 'e3')).toBe(true);
  });
});
