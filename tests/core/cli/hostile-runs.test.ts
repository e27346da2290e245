/**
 * Issue 12: run folders and bundles that are not what they claim (classes 4 and 5), through
 * `train --out`, `predict` and `export`. Each case failed before the fix.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRunDir } from '../../../core/host-node/run-dir';
import { classifyTsv, expectOneSentence, runCli, tempDir, tinyClassifier, writeGraph } from './helpers';

const dir = tempDir('wordloom-runs-');
const data = join(dir, 'rows.tsv');
const graph = join(dir, 'tiny.json');
const run = join(dir, 'run');
const train = (out: string, ...more: string[]) =>
  runCli(['train', graph, '--data', data, '--steps', '2', '--batch', '4', '--backend', 'cpu', '--out', out, ...more]);

beforeAll(async () => {
  writeFileSync(data, classifyTsv(60));
  writeGraph(dir, tinyClassifier(), 'tiny.json');
  const r = await train(run);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

/** A copy of the trained run with one file changed. */
function editedRun(name: string, edit: (files: Record<string, Uint8Array>) => void): string {
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(run)) files[f] = new Uint8Array(readFileSync(join(run, f)));
  edit(files);
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  for (const [f, bytes] of Object.entries(files)) writeFileSync(join(out, f), bytes);
  return out;
}
const editManifest = (name: string, edit: (m: Record<string, unknown>) => void): string =>
  editedRun(name, (files) => {
    const m = JSON.parse(strFromU8(files['run.json'])) as Record<string, unknown>;
    edit(m);
    files['run.json'] = strToU8(JSON.stringify(m));
  });
const runFiles = (): Record<string, Uint8Array> =>
  Object.fromEntries(readdirSync(run).map((f) => [f, new Uint8Array(readFileSync(join(run, f)))]));

describe('class 4: train --out loses no work', () => {
  it('an existing run is not overwritten without --force', async () => {
    const before = readFileSync(join(run, 'run.json'), 'utf8');
    const r = await train(run);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/run already exists; pass --force to replace it, or pick another --out\.$/);
    expect(readFileSync(join(run, 'run.json'), 'utf8')).toBe(before);
  });

  it('--force replaces it whole, leaving nothing beside it', async () => {
    const out = join(dir, 'forced');
    expect((await train(out)).code).toBe(0);
    writeFileSync(join(out, 'stale.txt'), 'from before');
    const r = await train(out, '--force');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'run.json', 'tokenizer.json', 'weights.bin']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a trailing slash still gives the run its folder name as id', async () => {
    const r = await train(join(dir, 'slashed') + '/');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'slashed', 'run.json'), 'utf8')) as { id: string };
    expect(m.id).toBe('slashed');
  });

  it('a save that fails half-way leaves the old folder whole (written beside it, then renamed)', () => {
    const out = join(dir, 'atomic');
    writeRunDir(out, { 'run.json': strToU8('old'), 'weights.bin': new Uint8Array([1]) });
    const bad = { 'run.json': strToU8('new'), 'no/such/dir': new Uint8Array([2]) };
    expect(() => writeRunDir(out, bad)).toThrow();
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe('old');
    expect(readdirSync(out).sort()).toEqual(['run.json', 'weights.bin']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('class 5: run files are checked, not trusted', () => {
  it('a seqLen of 1e9 in run.json is refused at once', async () => {
    const r = await runCli(['predict', editManifest('seqlen', (m) => (m.seqLen = 1e9)), '--text', 'good day']);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/seqlen\/run\.json is not a Wordloom run: seqLen .*\./);
  });

  it('a manifest whose graph disagrees with the weights is refused by export, which writes nothing', async () => {
    const src = editManifest('disagree', (m) => {
      const g = m.graph as { nodes: { id: string; params: Record<string, unknown> }[] };
      g.nodes.find((n) => n.id === 'emb')!.params.dim = 16;
    });
    const out = join(dir, 'disagree-out');
    const r = await runCli(['export', src, '--format', 'pytorch', '--out', out]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/disagree\/run\.json says the model has \d+ parameters, but its graph has \d+; the run is damaged or was edited\./);
    expect(existsSync(out)).toBe(false);
  });

  it('an edited task is refused, not predicted as "undefined (NaN%)"', async () => {
    const r = await runCli(['predict', editManifest('task', (m) => ((m.data as { task: string }).task = 'tag')), '--text', 'good day']);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/task\/run\.json says the task is tag, but its graph's head does classify/);
  });

  it('a truncated weights.bin names the file (tf.js says only "byte length … multiple of 4")', async () => {
    const src = editedRun('truncated', (f) => (f['weights.bin'] = f['weights.bin'].subarray(0, f['weights.bin'].length - 3)));
    const r = await runCli(['predict', src, '--text', 'good day']);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/truncated\/weights\.bin has [\d,]+ bytes, but model\.json lists [\d,]+; the run is damaged\./);
  });

  it('a bundle whose entry claims 1 GiB is refused before inflating', async () => {
    const zip = zipSync({ 'wordloom-bundle': strToU8('1'), ...runFiles() });
    // Patch the central directory's "uncompressed size" of every entry to 1 GiB.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 46 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 2 ** 30, true);
    const file = join(dir, 'claims.wordloom');
    writeFileSync(file, zip);
    const r = await runCli(['predict', file, '--text', 'good day']);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/unpacks to more than a run can hold|zip bomb/);
  });

  it('a real zip bomb (64 MiB of zeros in 64 kB) is refused', async () => {
    const zip = zipSync({ 'wordloom-bundle': strToU8('1'), ...runFiles(), 'weights.bin': new Uint8Array(64 * 2 ** 20) }, { level: 9 });
    expect(zip.length).toBeLessThan(1 << 20);
    const file = join(dir, 'bomb.wordloom');
    writeFileSync(file, zip);
    const r = await runCli(['export', file, '--format', 'bundle', '--out', join(dir, 'bomb-out')]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/bomb\.wordloom is a zip bomb, not a Wordloom bundle/);
    expect(existsSync(join(dir, 'bomb-out'))).toBe(false);
  });

  it('a bundle with a path entry (../x) is refused and writes nothing outside', async () => {
    const file = join(dir, 'path.wordloom');
    writeFileSync(file, zipSync({ 'wordloom-bundle': strToU8('1'), ...runFiles(), '../escaped.txt': strToU8('x') }));
    const r = await runCli(['export', file, '--format', 'bundle', '--out', join(dir, 'path-out')]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/path\.wordloom holds the path entry "\.\.\/escaped\.txt"/);
    expect(existsSync(join(dir, '..', 'escaped.txt'))).toBe(false);
  });

  it('foreign entries are not repacked into an exported bundle', async () => {
    const file = join(dir, 'foreign.wordloom');
    writeFileSync(file, zipSync({ 'wordloom-bundle': strToU8('1'), ...runFiles(), 'notes.txt': strToU8('not ours') }));
    const out = join(dir, 'foreign-out');
    const r = await runCli(['export', file, '--format', 'bundle', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [bundle] = readdirSync(out);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(join(out, bundle))))).sort()).toEqual(
      ['model.json', 'run.json', 'tokenizer.json', 'weights.bin', 'wordloom-bundle'],
    );
  });
});
