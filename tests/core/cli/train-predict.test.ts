import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../../core/graph/io';
import { tinyGpt } from '../../builders';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin', 'wordloom.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'wordloom-cli-'));
const graphFile = join(dir, 'tiny-gpt.json');
const outDir = join(dir, 'run');
let lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const graph = tinyGpt({ name: 'Tiny GPT' });
  writeFileSync(graphFile, serializeGraph(graph));
  const res = await cli(['train', graphFile, '--data', 'shakespeare', '--steps', '6', '--batch', '4', '--eval-every', '3', '--json', '--out', outDir]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}, 120_000);

describe('wordloom train / predict / generate', () => {
  it('train --json prints one JSON object per line: step, eval and done events', () => {
    const steps = lines.filter((l) => l.event === 'step');
    expect(steps).toHaveLength(6);
    for (const s of steps) expect(Object.keys(s)).toEqual(expect.arrayContaining(['step', 'loss', 'lr', 'tokensPerSec']));
    expect(lines.filter((l) => l.event === 'eval').map((l) => l.step)).toEqual([3, 6]);
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ event: 'done', steps: 6, out: outDir });
    expect(Number.isFinite(done.trainLoss as number) && Number.isFinite(done.valLoss as number)).toBe(true);
    expect(JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')).metrics.steps).toHaveLength(6);
  });

  it('predict --json gives the top-k next tokens after each position', async () => {
    const res = await cli(['predict', outDir, '--text', 'ROMEO:', '--top', '3', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { tokens: { text: string; top: { token: string; p: number }[] }[] };
    expect(out.tokens.map((t) => t.text).join('')).toBe('ROMEO:');
    for (const t of out.tokens) {
      expect(t.top).toHaveLength(3);
      expect(t.top[0].p).toBeGreaterThanOrEqual(t.top[2].p);
    }
  }, 60_000);

  it('generate continues the prompt', async () => {
    const res = await cli(['generate', outDir, '--prompt', 'ROMEO:', '--tokens', '20', '--seed', '3']);
    expect(res.code).toBe(0);
    expect(res.stdout.startsWith('ROMEO:')).toBe(true);
    expect(res.stdout.trimEnd().length).toBeGreaterThan('ROMEO:'.length);
  }, 60_000);

  it('--lr above 1 is refused before training (issue 12: 1e9 used to "train" to a loss of 1e17); the NaN guard itself is covered in trainer.test.ts', async () => {
    const res = await cli(['train', graphFile, '--data', 'shakespeare', '--steps', '50', '--batch', '4', '--lr', '1e6', '--out', join(dir, 'nan')]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('--lr must be at most 1, got 1e6.');
  }, 60_000);

  it('user mistakes give one sentence and no stack trace', async () => {
    const cases = [
      [['train', graphFile], /needs --data/],
      [['train', graphFile, '--data', join(dir, 'missing.txt')], /missing\.txt/],
      [['train', graphFile, '--data', 'sentiment'], /head does next-token but the dataset "sentiment" is for classify/],
      [['train', graphFile, '--data', 'shakespeare', '--steps', 'ten'], /--steps must be a whole number/],
      [['predict', join(dir, 'nope'), '--text', 'hi'], /does not exist/],
    ] as const;
    for (const [args, message] of cases) {
      const res = await cli([...args]);
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
