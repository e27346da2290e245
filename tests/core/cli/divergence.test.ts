import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../../core/graph/io';
import { tinyGpt } from '../../builders';
import { runCli } from './helpers';

// The divergence guard on the command line: a run whose loss explodes (still finite) ends with its sentence, exit 1.

const dir = mkdtempSync(join(tmpdir(), 'wordloom-diverge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wordloom train and a diverging loss', () => {
  it('stops the run with one sentence naming the learning rate and the backend, exit 1', async () => {
    const graph = tinyGpt();
    const file = join(dir, 'gpt.json');
    writeFileSync(file, serializeGraph(graph));
    const args = ['train', file, '--data', 'shakespeare', '--steps', '80', '--batch', '8', '--lr', '1', '--seed', '3'];
    const res = await runCli([...args, '--out', join(dir, 'run')]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^Training stopped at step \d+: the loss climbed to [\d,.]+ and stayed above [\d.]+ \(3× the larger of its first loss, [\d.]+, and a uniform guess, [\d.]+\) for 5 steps\. Lower the learning rate \(now 1\), or train on another backend than wasm\.$/,
    );
  }, 120_000);
});
