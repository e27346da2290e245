import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../../core/graph/io';
import { chain, makeGraph, makeNode } from '../../builders';

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

const dir = mkdtempSync(join(tmpdir(), 'wordloom-ft-'));
const lmFile = join(dir, 'lm.json');
const clsFile = join(dir, 'cls.json');
const pre = join(dir, 'pre');
const ft = join(dir, 'ft');
const body = [
  makeNode('TokenInput', { seqLen: 48 }, 'in'),
  makeNode('Embedding', { dim: 16 }, 'emb'),
  makeNode('PositionalEncoding', { kind: 'learned' }, 'pos'),
  makeNode('TransformerBlock', { heads: 2, ffMultiplier: 2 }, 'block'),
];
const small = ['--steps', '4', '--batch', '4', '--eval-every', '2', '--backend', 'cpu'];

beforeAll(async () => {
  writeFileSync(lmFile, serializeGraph(makeGraph([...body, makeNode('NextTokenHead', {}, 'head')], chain('in', 'emb', 'pos', 'block', 'head'), 'Tiny LM')));
  const cls = makeGraph(
    [...body, makeNode('MeanPool', {}, 'pool'), makeNode('ClassifierHead', {}, 'head')],
    chain('in', 'emb', 'pos', 'block', 'pool', 'head'),
    'Tiny classifier',
  );
  writeFileSync(clsFile, serializeGraph(cls));
  const res = await cli(['train', lmFile, '--data', 'shakespeare', ...small, '--out', pre]);
  expect(res.stderr).toBe('');
}, 120_000);

describe('wordloom train --from', () => {
  it('fine-tunes on prompt/completion data: the parent and step in run.json, chrF on --json eval events', async () => {
    const res = await cli(['train', lmFile, '--data', 'instructions', '--from', pre, '--freeze', 'emb', '--chrf-prompts', '4', '--json', ...small, '--out', ft]);
    expect(res.stderr).toBe('');
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const warm = lines.find((l) => l.event === 'warm-start') as { nodes: { nodeId: string; status: string }[]; frozen: string[] };
    expect(warm.nodes.map((n) => `${n.nodeId}:${n.status}`)).toEqual(['emb:loaded', 'pos:loaded', 'block:loaded', 'head:loaded']);
    expect(warm.frozen).toEqual(['emb']);
    const evals = lines.filter((l) => l.event === 'eval');
    expect(evals).toHaveLength(2);
    for (const e of evals) expect(e.chrf).toBeGreaterThanOrEqual(0);
    const manifest = JSON.parse(readFileSync(join(ft, 'run.json'), 'utf8'));
    expect(manifest.parent).toMatchObject({ runId: 'pre', step: 4, frozen: ['emb'] });
    expect(manifest.tokenizer).toBe('char');
    expect(manifest.metrics.evals[0].chrf).toBe(evals[0].chrf);
  }, 120_000);

  it('prints the table of loaded, new and refused nodes for a head swap', async () => {
    const res = await cli(['train', clsFile, '--data', 'sentiment', '--from', pre, '--freeze', 'all-but-head', ...small, '--out', join(dir, 'cls')]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Starting from "Tiny LM" (pre) at step 4:');
    expect(res.stdout).toMatch(/^block +TransformerBlock +\S+ +loaded, frozen$/m);
    expect(res.stdout).toMatch(/^head +ClassifierHead +\S+ +refused \(random\) +the parent's "head" is a NextTokenHead$/m);
    expect(res.stdout).toContain('3 loaded, 0 new, 1 refused.');
  }, 120_000);

  it('--strict turns the refusal into one sentence and exit 1', async () => {
    const res = await cli(['train', clsFile, '--data', 'sentiment', '--from', pre, '--strict', ...small, '--out', join(dir, 'x')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`--strict: node "head" (ClassifierHead) cannot take the weights of "Tiny LM": the parent's "head" is a NextTokenHead.\n`);
  }, 60_000);

  it('--strict refuses a shape mismatch (a wider feed-forward) with one sentence and exit 1', async () => {
    const wider = join(dir, 'wider.json');
    const nodes = body.map((n) => (n.id === 'block' ? makeNode('TransformerBlock', { heads: 2, ffMultiplier: 4 }, 'block') : n));
    writeFileSync(wider, serializeGraph(makeGraph([...nodes, makeNode('NextTokenHead', {}, 'head')], chain('in', 'emb', 'pos', 'block', 'head'), 'Wider LM')));
    const res = await cli(['train', wider, '--data', 'shakespeare', '--from', pre, '--strict', ...small, '--out', join(dir, 'w')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `--strict: node "block" (TransformerBlock) cannot take the weights of "Tiny LM": block/fc1_kernel is (16, 64) but the parent's is (16, 32).\n`,
    );
  }, 60_000);

  it('a --tokenizer other than the parent\'s is refused with one sentence and exit 1', async () => {
    const res = await cli(['train', lmFile, '--data', 'instructions', '--from', pre, '--tokenizer', 'bpe:200', ...small, '--out', join(dir, 'y')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `--tokenizer bpe:200 differs from the tokenizer of ${pre} (char); a run started --from another reuses its tokenizer, so leave --tokenizer out.\n`,
    );
  }, 60_000);

  it('compare shows the lineage', async () => {
    const res = await cli(['compare', pre, ft]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Lineage:\n  Tiny LM (${pre}) → Tiny LM (${ft}) [from step 4; 4 nodes loaded, frozen: emb]\n`);
    const json = JSON.parse((await cli(['compare', pre, ft, '--json'])).stdout) as { runs: { parent?: { runId: string } }[] };
    expect(json.runs[1].parent?.runId).toBe('pre');
  }, 60_000);
});
