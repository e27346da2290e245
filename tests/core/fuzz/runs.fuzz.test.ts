/**
 * Fuzz: run folders and bundles (truncations, byte flips, edited run.json values, missing and foreign
 * files, zip bombs, path entries) through `predict`, `export` and `compare`, in-process. Each case
 * exits 0, or 1 with one sentence; export writes only inside its --out folder, and nothing else.
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyTsv, runCli, tempDir, tinyClassifier, tinyLm, writeGraph } from '../cli/helpers';
import { entries, expectBoundedMemory, expectCleanOutcome, timed } from './outcome';
import { FUZZ_SEED, runs } from './settings';

const dir = tempDir('wordloom-fuzz-runs-');
const originals: Record<string, Record<string, Uint8Array>> = {};

beforeAll(async () => {
  writeFileSync(join(dir, 'rows.tsv'), classifyTsv(40));
  writeFileSync(join(dir, 'text.txt'), 'the cat sat on the mat. '.repeat(50));
  for (const [name, graph, data] of [
    ['cls', tinyClassifier(), 'rows.tsv'],
    ['lm', tinyLm(), 'text.txt'],
  ] as const) {
    const out = join(dir, `run-${name}`);
    const r = await runCli(['train', writeGraph(dir, graph, `${name}.json`), '--data', join(dir, data), '--steps', '1', '--batch', '2', '--backend', 'cpu', '--out', out]);
    expect(r.code).toBe(0);
    originals[name] = Object.fromEntries(readdirSync(out).map((f) => [f, new Uint8Array(readFileSync(out + '/' + f))]));
  }
}, 120_000);

type Files = Record<string, Uint8Array>;
const FILES = ['run.json', 'tokenizer.json', 'model.json', 'weights.bin'];

/** Paths in run.json worth editing, and hostile values for them. */
const MANIFEST_PATHS = [
  ['seqLen'], ['binding', 'vocabSize'], ['binding', 'numClasses'], ['data', 'task'], ['labels'], ['training', 'batchSize'],
  ['totals', 'params'], ['attention'], ['graph', 'nodes'], ['graph'], ['version'], ['format'], ['name'], ['id'], ['metrics', 'steps'],
];
const hostileValue = fc.oneof(
  fc.constantFrom(1e9, -1, 0, 1.5, 2 ** 31, null, '', 'next-token', 'classify', 'tag', [], {}, ['a'], 'x\u001b[2J', true),
  fc.jsonValue({ maxDepth: 3 }),
);

function setPath(o: Record<string, unknown>, path: string[], v: unknown): void {
  let cur: Record<string, unknown> = o;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null) return;
    cur = next as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = v;
}

const mutation: fc.Arbitrary<(f: Files) => void> = fc.oneof(
  fc.tuple(fc.constantFrom(...FILES), fc.double({ min: 0, max: 1, noNaN: true })).map(([name, at]) => (f: Files) => {
    if (f[name]) f[name] = f[name].subarray(0, Math.floor(f[name].length * at));
  }),
  fc.tuple(fc.constantFrom(...FILES), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 255 })).map(([name, at, b]) => (f: Files) => {
    if (!f[name]) return;
    const copy = new Uint8Array(f[name]);
    if (copy.length) copy[Math.floor(copy.length * at)] = b;
    f[name] = copy;
  }),
  fc.tuple(fc.constantFrom(...MANIFEST_PATHS), hostileValue).map(([path, v]) => (f: Files) => {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(strFromU8(f['run.json'] ?? new Uint8Array())) as Record<string, unknown>;
    } catch {
      return; // an earlier edit already broke the file
    }
    if (typeof m !== 'object' || m === null) return;
    setPath(m, path, v);
    f['run.json'] = strToU8(JSON.stringify(m));
  }),
  fc.constantFrom(...FILES).map((name) => (f: Files) => void delete f[name]),
  fc.constant((f: Files) => void (f['notes.txt'] = strToU8('foreign'))),
  fc.constant((f: Files) => void (f['weights.bin'] = new Uint8Array((f['weights.bin']?.length ?? 0) + 4))),
);

const command = fc.constantFrom('predict', 'export-bundle', 'export-tfjs', 'export-pytorch', 'compare', 'generate');

async function runCase(where: string, sandbox: string, cmd: string) {
  const out = join(sandbox, 'out');
  const argv =
    cmd === 'predict' ? ['predict', where, '--text', 'good day']
      : cmd === 'generate' ? ['generate', where, '--prompt', 'the', '--tokens', '3']
        : cmd === 'compare' ? ['compare', where]
          : ['export', where, '--format', cmd.slice('export-'.length), '--out', out];
  const before = entries(sandbox);
  const r = await timed(30_000, () => runCli(argv));
  expectCleanOutcome(r, true);
  const after = entries(sandbox);
  if (cmd.startsWith('export') && r.code === 0) expect(after).toEqual([...before, 'out'].sort());
  else expect(after).toEqual(before);
}

let n = 0;
describe('fuzz: run folders and bundles', () => {
  it('edited, truncated and incomplete run folders', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('cls', 'lm'), fc.array(mutation, { minLength: 1, maxLength: 3 }), command, async (kind, edits, cmd) => {
        const sandbox = join(dir, `case-${n++}`);
        const run = join(sandbox, 'run');
        mkdirSync(run, { recursive: true });
        const files: Files = { ...originals[kind] };
        for (const e of edits) e(files);
        for (const [name, bytes] of Object.entries(files)) writeFileSync(join(run, name), bytes);
        await runCase(run, sandbox, cmd);
      }),
      { seed: FUZZ_SEED + 20, numRuns: runs(60, 'runs: run folders') },
    );
    expectBoundedMemory();
  });

  /** Zip-level damage: truncation, byte flips, path entries, bombs, lying sizes, no marker. */
  const bundleDamage = fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (z: Uint8Array) => z.subarray(0, Math.floor(z.length * at))),
    fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => (z: Uint8Array) => {
      const c = new Uint8Array(z);
      c[Math.floor(c.length * at)] = b;
      return c;
    }),
    fc.integer({ min: 1, max: 2 ** 32 - 1 }).map((size) => (z: Uint8Array) => {
      const c = new Uint8Array(z);
      const v = new DataView(c.buffer);
      for (let i = 0; i + 46 <= c.length; i++) if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, size, true);
      return c;
    }),
  );
  const extraEntries = fc.oneof(
    fc.constant({}),
    fc.constantFrom('../evil.txt', '/abs.txt', 'dir/x', '..', 'C:evil', 'a\\b').map((p) => ({ [p]: strToU8('x') })),
    fc.constant({ 'weights.bin': new Uint8Array(8 * 2 ** 20) }),
    fc.constant({ 'notes.txt': strToU8('foreign') }),
  );

  it('damaged bundles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('cls', 'lm'), extraEntries, fc.boolean(), fc.option(bundleDamage, { nil: undefined }), command, async (kind, extra, mark, damage, cmd) => {
        const sandbox = join(dir, `case-${n++}`);
        mkdirSync(sandbox);
        let zip: Uint8Array = zipSync({ ...(mark ? { 'wordloom-bundle': strToU8('1') } : {}), ...originals[kind], ...extra }, { level: 6 });
        if (damage) zip = damage(zip);
        const file = join(sandbox, 'run.wordloom');
        writeFileSync(file, zip);
        await runCase(file, sandbox, cmd);
      }),
      { seed: FUZZ_SEED + 21, numRuns: runs(60, 'runs: bundles') },
    );
    expectBoundedMemory();
    expect(readdirSync(join(dir, '..')).includes('evil.txt')).toBe(false);
  });
});
