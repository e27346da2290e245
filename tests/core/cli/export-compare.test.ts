import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/cli/main';
import { serializeGraph } from '../../../core/graph/io';
import { makeGraph, makeNode } from '../../builders';

const BIN = join(process.cwd(), 'bin', 'wordloom.js');
const execFileP = promisify(execFile);

/** The real `wordloom` binary, as a user runs it. */
async function bin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The CLI in-process (no Node start-up per call). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTTY: false });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'wordloom-export-'));
const tiny = (seq: string, extra: ReturnType<typeof makeNode>[] = []) => {
  const nodes = [makeNode('TokenInput', { seqLen: 16 }, 'in'), makeNode('Embedding', { dim: 16 }, 'emb'), ...extra];
  const ids = [...nodes.map((n) => n.id), 'head'];
  return makeGraph(
    [...nodes, makeNode('NextTokenHead', {}, 'head')],
    ids.slice(1).map((id, i) => [ids[i], id] as const),
    seq,
  );
};
const GRAPHS = {
  gru: tiny('Tiny GRU', [makeNode('GRU', { units: 16 }, 'rnn')]),
  gpt: tiny('Tiny GPT', [
    makeNode('PositionalEncoding', {}, 'pos'),
    makeNode('TransformerBlock', { heads: 2 }, 'block'),
  ]),
  bag: tiny('Tiny MLP', [makeNode('Dense', { units: 16 }, 'dense'), makeNode('Dense', { units: 16 }, 'dense2')]),
};
const runs = Object.keys(GRAPHS).map((k) => join(dir, `run-${k}`));

beforeAll(async () => {
  for (const [k, graph] of Object.entries(GRAPHS)) {
    const file = join(dir, `${k}.json`);
    writeFileSync(file, serializeGraph(graph));
    const res = await cli([
      'train',
      file,
      '--data',
      'shakespeare',
      '--steps',
      '3',
      '--batch',
      '4',
      '--backend',
      'cpu',
      '--out',
      join(dir, `run-${k}`),
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  }
}, 120_000);

describe('wordloom compare', () => {
  it('prints one table row per run: architecture, size, cost, speed, backend, validation, time, steps', async () => {
    const res = await bin(['compare', ...runs]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + runs.length);
    for (const h of [
      'run',
      'architecture',
      'params',
      'FLOPs/token',
      'tokens/s',
      'backend',
      'best val loss',
      'acc / ppl',
      'time',
      'steps',
    ])
      expect(lines[0]).toContain(h);
    expect(lines[2]).toContain('Tiny GRU: TokenInput → Embedding → GRU → NextTokenHead');
    expect(lines[3]).toContain(
      'Tiny GPT: TokenInput → Embedding → PositionalEncoding → TransformerBlock → NextTokenHead',
    );
    expect(lines[4]).toContain('Tiny MLP: TokenInput → Embedding → Dense×2 → NextTokenHead');
    for (const [i, line] of lines.slice(2).entries()) {
      expect(line.startsWith(runs[i])).toBe(true);
      expect(line).toMatch(/ cpu .* \d+\.\d{3} +ppl \d+\.\d\d +\d+s +3$/);
    }
  });

  it('--json gives {"runs": [...]} with the numbers from each run', async () => {
    const res = await cli(['compare', ...runs, '--json']);
    const out = JSON.parse(res.stdout) as { runs: Record<string, unknown>[] };
    expect(out.runs.map((r) => r.path)).toEqual(runs);
    for (const [i, r] of out.runs.entries()) {
      const m = JSON.parse(readFileSync(join(runs[i], 'run.json'), 'utf8'));
      expect(r).toMatchObject({
        params: m.totals.params,
        flopsPerToken: m.totals.flopsPerToken,
        steps: 3,
        backend: 'cpu',
      });
      expect(r.bestValLoss).toBe(Math.min(...m.metrics.evals.map((e: { valLoss: number }) => e.valLoss)));
      expect(typeof r.tokensPerSec).toBe('number');
    }
  });
});

describe('wordloom export', () => {
  it('tfjs writes the model folder plus graph.svg and metrics.csv, and refuses to overwrite without --force', async () => {
    const out = join(dir, 'tfjs');
    const res = await cli(['export', runs[0], '--format', 'tfjs', '--out', out]);
    expect(res.code).toBe(0);
    const names = [
      'config.json',
      'graph.svg',
      'metrics.csv',
      'model.json',
      'tokenizer.json',
      'weights.bin',
      'wordloom-model.js',
    ];
    expect(readdirSync(out)).toEqual(expect.arrayContaining(names));
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(4); // header + 3 steps
    expect(readFileSync(join(out, 'graph.svg'), 'utf8')).toContain('data-id="rnn"');

    writeFileSync(join(out, 'model.json'), 'mine');
    const again = await cli(['export', runs[0], '--format', 'tfjs', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^\S+ already exists; pass --force to overwrite it, or pick another --out\.\n$/);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('mine');
    expect((await cli(['export', runs[0], '--format', 'tfjs', '--out', out, '--force'])).code).toBe(0);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toContain('layers-model');
  });

  it('bundle writes one <run-name>.wordloom that predict, generate and compare read like a run directory', async () => {
    const out = join(dir, 'bundles');
    const res = await cli(['export', runs[1], '--format', 'bundle', '--out', out, '--json']);
    expect(JSON.parse(res.stdout)).toEqual({ format: 'bundle', out, files: ['tiny-gpt.wordloom'] });
    const bundle = join(out, 'tiny-gpt.wordloom');
    const fromDir = await cli(['predict', runs[1], '--text', 'ROMEO:', '--json']);
    const fromBundle = await cli(['predict', bundle, '--text', 'ROMEO:', '--json']);
    expect(fromBundle.code).toBe(0);
    expect(JSON.parse(fromBundle.stdout)).toEqual(JSON.parse(fromDir.stdout));
    const gen = await cli(['generate', bundle, '--prompt', 'ROMEO:', '--tokens', '5']);
    expect(gen.code).toBe(0);
    expect(gen.stdout.startsWith('ROMEO:')).toBe(true);
    const cmp = JSON.parse((await cli(['compare', bundle, '--json'])).stdout) as { runs: { graph: string }[] };
    expect(cmp.runs[0].graph).toBe('Tiny GPT');
  });

  it('pytorch goes to core/export/pytorch, with graph.svg and metrics.csv beside it', async () => {
    const out = join(dir, 'pytorch');
    const res = await cli(['export', runs[2], '--format', 'pytorch', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const names = readdirSync(out);
    expect(names).toEqual(expect.arrayContaining(['graph.svg', 'metrics.csv']));
    expect(names.length).toBeGreaterThan(2); // the PyTorch exporter's own files
  });

  it('user mistakes give one sentence, exit 1 and no stack trace', async () => {
    const empty = join(dir, 'not-a-run');
    mkdirSync(empty);
    const cases = [
      [
        ['export', empty, '--format', 'tfjs', '--out', join(dir, 'x')],
        /not-a-run has no run\.json; is it a Wordloom run\?/,
      ],
      [['export', join(dir, 'nope'), '--format', 'bundle', '--out', join(dir, 'x')], /nope does not exist\./],
      [
        ['export', runs[0], '--format', 'onnx', '--out', join(dir, 'x')],
        /needs --format tfjs, pytorch or bundle, got "onnx"/,
      ],
      [['export', runs[0], '--format', 'tfjs'], /needs --out DIR/],
      [['compare', empty], /not-a-run has no run\.json/],
      [['compare'], /Name the run directories/],
    ] as const;
    for (const [args, message] of cases) {
      const res = await cli([...args]);
      expect(res.code).toBe(1);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
    const real = await bin(['export', empty, '--format', 'tfjs', '--out', join(dir, 'x')]);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/^\S+not-a-run has no run\.json; is it a Wordloom run\?\n$/);
  });
});
