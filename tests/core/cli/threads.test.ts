import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyGpt } from '../../builders';
import { expectOneSentence, runCli, tempDir, writeGraph } from './helpers';

// `wordloom train --threads N`: wasm on tf.js' threaded build with our GEMM's helpers, and the same numbers on
// any count. One process starts one wasm build, so the runs here share it and only change the count.

const dir = tempDir('wordloom-threads-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Big enough that its products (512 rows by 64 wide, and the 64 → V head) are split over the helpers.
const graph = tinyGpt({ seqLen: 32, dim: 64, name: 'Threads GPT' });

const train = (threads: string, out: string) =>
  runCli([
    'train',
    writeGraph(dir, graph),
    '--data',
    'shakespeare',
    '--steps',
    '4',
    '--batch',
    '16',
    '--eval-every',
    '4',
    '--seed',
    '5',
    '--threads',
    threads,
    '--out',
    join(dir, out),
  ]);

const losses = (out: string): unknown => {
  const manifest: unknown = JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8'));
  const result: unknown = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'result') : null;
  if (typeof result !== 'object' || result === null) throw new Error(`${out}: no result in run.json`);
  return [Reflect.get(result, 'trainLoss'), Reflect.get(result, 'valLoss')];
};

describe('wordloom train --threads', () => {
  it('trains on 2 threads, says so, and gets exactly the losses of 1 thread', async () => {
    const two = await train('2', 'two');
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toMatch(/backend wasm · 2 threads\./);
    const one = await train('1', 'one');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/backend wasm\./);
    const [trainLoss, valLoss] = losses('two') as number[];
    expect(trainLoss).toBeGreaterThan(0);
    expect(valLoss).toBeLessThan(Math.log(70)); // it learned something in 4 steps
    expect(losses('one')).toEqual(losses('two'));
  }, 120_000);

  it('refuses a count that is not a whole number from 1 to 8, and threads on cpu, in one sentence', async () => {
    for (const bad of [
      ['--threads', '0'],
      ['--threads', '2.5'],
      ['--threads', '99'],
      ['--threads', '2', '--backend', 'cpu'],
    ]) {
      const r = await runCli(['train', writeGraph(dir, graph), '--data', 'shakespeare', ...bad]);
      expectOneSentence(r);
      expect(r.errLines[0]).toMatch(/--threads/);
    }
  });
});
