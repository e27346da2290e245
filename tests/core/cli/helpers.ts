import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../../core/cli/main';
import type { NodeRegistry } from '../../../core/graph/params';
import type { Graph } from '../../../core/graph/model';
import { serializeGraph } from '../../../core/graph/io';
import { makeGraph, makeNode } from '../../builders';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  errLines: string[];
}

/** Runs the CLI in-process (no child process), capturing what it writes. */
export async function runCli(argv: string[], registry?: NodeRegistry): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    isTTY: false,
    ...(registry ? { registry } : {}),
  });
  return { code, stdout, stderr, errLines: stderr.split('\n').filter(Boolean) };
}

/** One sentence: one line ending with a full stop, no stack frames, no raw control characters. */
export function expectSentence(line: string | undefined): void {
  expect(line).toBeDefined();
  expect(line).toMatch(/^\S.*[.)?]$/);
  expect(line).not.toMatch(/\bat \S+ \(|\bat file:|\.ts:\d+|Maximum call stack|Invalid (string|array) length/);
  // eslint-disable-next-line no-control-regex
  expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

/** Exit 1 with exactly one sentence on stderr. */
export function expectOneSentence(r: CliResult): void {
  expect(r.code).toBe(1);
  expect(r.errLines).toHaveLength(1);
  expectSentence(r.errLines[0]);
}

export const tempDir = (prefix = 'wordloom-test-'): string => mkdtempSync(join(tmpdir(), prefix));

export function writeGraph(dir: string, graph: Graph | string, name = 'graph.json'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof graph === 'string' ? graph : serializeGraph(graph));
  return file;
}

/** A small classifier that trains in a blink: TokenInput(T) → Embedding(8) → MeanPool → ClassifierHead. */
export const tinyClassifier = (seqLen = 8): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen }, 'in'),
      makeNode('Embedding', { dim: 8 }, 'emb'),
      makeNode('MeanPool', {}, 'pool'),
      makeNode('ClassifierHead', {}, 'head'),
    ],
    [
      ['in', 'emb'],
      ['emb', 'pool'],
      ['pool', 'head'],
    ],
    'Tiny classifier',
  );

/** A small next-token model: TokenInput(T) → Embedding(8) → NextTokenHead. */
export const tinyLm = (seqLen = 8): Graph =>
  makeGraph(
    [makeNode('TokenInput', { seqLen }, 'in'), makeNode('Embedding', { dim: 8 }, 'emb'), makeNode('NextTokenHead', {}, 'head')],
    [
      ['in', 'emb'],
      ['emb', 'head'],
    ],
    'Tiny LM',
  );

/** A sentiment-like TSV of `n` rows (two labels). */
export function classifyTsv(n: number): string {
  const rows = ['text\tlabel'];
  for (let i = 0; i < n; i++) rows.push(i % 2 ? `good fine great day ${i % 7}\tpos` : `bad awful poor day ${i % 5}\tneg`);
  return `${rows.join('\n')}\n`;
}
