/**
 * Issue 12: hostile graph files through `wordloom check` (classes 1, 2, 6 and 7). Each case failed
 * before the fix: a stack overflow, quadratic output, a wrong total or a hang.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topoSort } from '../../../core/graph/topo';
import { firstBadOffset } from '../../../core/graph/json-error';
import { inferGraph, DEFAULT_BINDING } from '../../../core/shapes/infer';
import { formatTable } from '../../../core/cli/table';
import { layerNames } from '../../../core/compile/names';
import { makeGraph, makeNode, type EdgeSpec } from '../../builders';
import { classifyTsv, expectOneSentence, expectSentence, runCli, tempDir, tinyClassifier, writeGraph } from './helpers';

const dir = tempDir('wordloom-hostile-');

/** n Dense nodes in a ring: every one is on one cycle. */
function ring(n: number) {
  const nodes = [makeNode('TokenInput', { seqLen: 4 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb')];
  const edges: EdgeSpec[] = [['in', 'emb']];
  for (let i = 0; i < n; i++) nodes.push(makeNode('Dense', { units: 4 }, `d${i}`));
  for (let i = 0; i < n; i++) edges.push([`d${i}`, `d${(i + 1) % n}`]);
  nodes.push(makeNode('NextTokenHead', {}, 'head'));
  return makeGraph(nodes, edges, 'Ring');
}

describe('class 1: no recursion on user data', () => {
  it('a cycle of 5,000 blocks is reported as a cycle, not a stack overflow', async () => {
    const r = await runCli(['check', writeGraph(dir, ring(5000), 'ring.json'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { errors: { message: string }[] };
    const cycle = report.errors.filter((e) => /is on a cycle/.test(e.message));
    expect(cycle).toHaveLength(5000);
  });

  it('a 2-block cycle feeding a 10,000-block chain is found iteratively', () => {
    const ids = ['a', 'b', ...Array.from({ length: 10_000 }, (_, i) => `c${i}`)];
    const edges = makeGraph(
      ids.map((id) => makeNode('X', {}, id)),
      [['a', 'b'], ['b', 'a'], ['b', 'c0'], ...ids.slice(3).map((id, i): [string, string] => [`c${i}`, id])],
    ).edges;
    const { cycles, order } = topoSort(ids, edges);
    expect(cycles).toEqual([['a', 'b']]);
    expect(order).toEqual([]);
  });

  it('10,000-deep broken JSON gets a line and column, not a stack overflow', async () => {
    const text = `${'['.repeat(10_000)}1,}`;
    expect(firstBadOffset(text)).toBe(10_002);
    const r = await runCli(['check', writeGraph(dir, text, 'deep.json')]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/deep\.json is not valid JSON: line 1, column 10003/);
  });
});

describe('class 2: linear work and output', () => {
  it('10,000 heads: each message names a few and counts the rest, and --json stays small', async () => {
    const nodes = [makeNode('TokenInput', { seqLen: 4 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb')];
    const edges: EdgeSpec[] = [['in', 'emb']];
    for (let i = 0; i < 10_000; i++) {
      nodes.push(makeNode('NextTokenHead', {}, `h${i}`));
      edges.push(['emb', `h${i}`]);
    }
    const r = await runCli(['check', writeGraph(dir, makeGraph(nodes, edges, 'Heads'), 'heads.json'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeLessThan(10_000_000);
    const report = JSON.parse(r.stdout) as { errors: { message: string }[] };
    expect(report.errors[0].message).toMatch(/is one of 10000 heads \(h0, h1, h2, h3, h4 and 9995 more\); a graph has exactly one\./);
  });

  it('a 5,000-block cycle message shows the start of the cycle and counts the rest', async () => {
    const r = await runCli(['check', writeGraph(dir, ring(5000), 'ring2.json')]);
    const line = r.errLines.find((l) => /is on a cycle/.test(l));
    expectSentence(line);
    expect(line).toMatch(/d0 → d1 → d2 → d3 → d4 → d5 → d6 → d7 → … and 4992 more → d0\.$/);
    expect(r.stderr.length).toBeLessThan(100_000); // the plain form lists 20 errors, then counts the others
    expect(r.errLines.at(-1)).toMatch(/^… and \d+ more errors \(--json lists them all\)\.$/);
  });

  it('whole-graph inference is linear in blocks of one type (40,000 Dense blocks)', () => {
    const nodes = [makeNode('TokenInput', { seqLen: 4 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb')];
    const edges: EdgeSpec[] = [['in', 'emb']];
    for (let i = 0; i < 40_000; i++) nodes.push(makeNode('Dense', { units: 4 }, `d${i}`));
    for (let i = 0; i < 40_000; i++) edges.push([i === 0 ? 'emb' : `d${i - 1}`, `d${i}`]);
    nodes.push(makeNode('NextTokenHead', {}, 'head'));
    edges.push(['d39999', 'head']);
    const t0 = performance.now();
    const a = inferGraph(makeGraph(nodes, edges), DEFAULT_BINDING);
    const ms = performance.now() - t0;
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.params).toBe(4 * 67 + 40_000 * 20 + 4 * 67 + 67);
    expect(ms).toBeLessThan(5000); // 19.8 s before the fix on this machine
  });

  it('layer names for 30,000 blocks are found in linear time, still unique and clash-free', () => {
    const ids = Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? `ff_${i}` : i % 3 === 1 ? `ff${i}` : `ff_${i - 2}_up`));
    const t0 = performance.now();
    const names = [...layerNames(ids).values()];
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(new Set(names).size).toBe(ids.length);
  });

  it('formatTable takes a table of 300,000 rows (no spread into Math.max)', () => {
    const nodes = Array.from({ length: 300_000 }, (_, i) => ({ id: `n${i}`, type: 'Dense', shape: [4], kind: 'vector' as const, params: 20 }));
    const text = formatTable({ ok: true, nodes, errors: [], warnings: [], totals: null });
    expect(text.split('\n')).toHaveLength(300_003);
  });
});

describe('class 6: models that cannot run do not pass check', () => {
  /** TokenInput → Embedding(4096) → MeanPool → 98 Dense(16384) → ClassifierHead: about 26 billion parameters. */
  function huge() {
    const nodes = [makeNode('TokenInput', { seqLen: 64 }, 'in'), makeNode('Embedding', { dim: 4096 }, 'emb'), makeNode('MeanPool', {}, 'pool')];
    const edges: EdgeSpec[] = [['in', 'emb'], ['emb', 'pool']];
    for (let i = 0; i < 98; i++) {
      nodes.push(makeNode('Dense', { units: 16384 }, `d${i}`));
      edges.push([i === 0 ? 'pool' : `d${i - 1}`, `d${i}`]);
    }
    nodes.push(makeNode('ClassifierHead', {}, 'head'));
    edges.push(['d97', 'head']);
    return makeGraph(nodes, edges, 'Huge');
  }

  it('a 26-billion-parameter graph is refused by check, naming its size and the memory', async () => {
    const r = await runCli(['check', writeGraph(dir, huge(), 'huge.json')]);
    expect(r.code).toBe(1);
    const line = r.errLines.find((l) => /billion parameters/.test(l));
    expectSentence(line);
    expect(line).toMatch(/^"Huge" has 26\.\d billion parameters and needs about [\d.]+ GB to train at batch 16; this machine has [\d.]+ GB of memory \(--memory sets another budget\)\.$/);
    const json = JSON.parse((await runCli(['check', join(dir, 'huge.json'), '--json'])).stdout) as { ok: boolean };
    expect(json.ok).toBe(false);
  });

  it('train refuses it too, before allocating anything', async () => {
    const data = join(dir, 'rows.tsv');
    writeFileSync(data, classifyTsv(40));
    const r = await runCli(['train', join(dir, 'huge.json'), '--data', data, '--steps', '1']);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/26\.\d billion parameters/);
  });

  it('--memory plans for another budget: a small graph is refused under 1 MB', async () => {
    const r = await runCli(['check', writeGraph(dir, tinyClassifier(), 'tiny.json'), '--memory', '1M']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs about [\d.]+ MB to train at batch 16; --memory allows 1\.0 MB/);
    expect((await runCli(['check', join(dir, 'tiny.json')])).code).toBe(0);
  });

  it('check --data compares the head with the data task', async () => {
    const text = join(dir, 'corpus.txt');
    writeFileSync(text, 'hello world, hello there. '.repeat(40));
    const r = await runCli(['check', join(dir, 'tiny.json'), '--data', text]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ClassifierHead "head" does classify, but \S*corpus\.txt is next-token data; use a NextTokenHead\./);
  });

  it('train of a classifier on next-token data names the head, not tf.js ("units … got 0")', async () => {
    const text = join(dir, 'corpus.txt');
    writeFileSync(text, 'hello world, hello there. '.repeat(40));
    const r = await runCli(['train', join(dir, 'tiny.json'), '--data', text, '--steps', '1', '--out', join(dir, 'never')]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(/^The graph's head does classify but the dataset ".*corpus\.txt" is for next-token; pick a NextTokenHead\.$/);
  });

  it('a graph file with a UTF-8 BOM opens as the app opens it', async () => {
    const file = writeGraph(dir, `\uFEFF${JSON.stringify(tinyClassifier())}`, 'bom.json');
    const r = await runCli(['check', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('class 7: strict flags, file types and ids', () => {
  const graph = (): string => join(dir, 'tiny.json');
  it.each([
    ['--lr', '1e9', /--lr must be at most 1, got 1e9\./],
    ['--batch', '0x10', /--batch must be a whole number, got "0x10"\./],
    ['--steps', '1e3', /--steps must be a whole number, got "1e3"\./],
    ['--seed', '4294967296', /--seed must be at most 4294967295, got 4294967296\./],
    ['--batch', ' 16', /--batch must be a whole number, got " 16"\./],
    ['--lr', 'Infinity', /--lr must be a number, got "Infinity"\./],
  ])('train %s %s is refused with one sentence', async (flag, value, message) => {
    writeGraph(dir, tinyClassifier(), 'tiny.json');
    const r = await runCli(['train', graph(), '--data', 'sentiment', flag, value]);
    expectOneSentence(r);
    expect(r.errLines[0]).toMatch(message);
  });

  it('a graph path that is a FIFO is refused at once (it used to hang)', async () => {
    const fifo = join(dir, 'graph.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const cmd of [['check', fifo], ['train', fifo, '--data', 'sentiment'], ['predict', fifo, '--text', 'x']]) {
      const r = await runCli(cmd);
      expectOneSentence(r);
      expect(r.errLines[0]).toMatch(/graph\.fifo"? is not a regular file/);
    }
  });

  it('a block with the id __proto__ still counts in the parameter totals', async () => {
    const g = tinyClassifier();
    const text = JSON.stringify(g).replaceAll('"emb"', '"__proto__"');
    const r = await runCli(['check', writeGraph(dir, text, 'proto.json'), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { totals: { params: number }; nodes: { id: string; params: number }[] };
    expect(report.nodes.find((n) => n.id === '__proto__')?.params).toBe(67 * 8);
    expect(report.totals.params).toBe(67 * 8 + 8 * 2 + 2);
  });

  it('ids with terminal escapes and newlines are printed escaped', async () => {
    const g = tinyClassifier();
    g.nodes.push(makeNode('Dense', {}, 'evil\u001b[2J\nid\u009b'));
    const r = await runCli(['check', writeGraph(dir, g, 'escape.json')]);
    expect(r.code).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u009b]/);
    expect(r.stderr).toContain('Dense "evil\\x1b[2J\\nid\\x9b".in is not connected');
    const json = await runCli(['check', join(dir, 'escape.json'), '--json']);
    // eslint-disable-next-line no-control-regex
    expect(json.stdout.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    const report = JSON.parse(json.stdout) as { nodes: { id: string }[] };
    expect(report.nodes.map((n) => n.id)).toContain('evil\u001b[2J\nid\u009b'); // the same id, escaped only in transit
  });
});
