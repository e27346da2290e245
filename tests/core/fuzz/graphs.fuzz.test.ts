/**
 * Fuzz: graph files through `wordloom check` (and `--json`), in-process. Whatever the file, the CLI
 * exits 0, or 1 with one sentence per problem; no stack trace, no raw control characters, output
 * linear in the file, within a time bound. Seeded: `npm test` runs the same cases every time.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeGraph } from '../cli/helpers';
import { damagedText, graphDoc, validChain } from './arbitraries';
import { expectBoundedMemory, expectCleanOutcome, timed } from './outcome';
import { FUZZ_SEED, runs } from './settings';

const dir = tempDir('wordloom-fuzz-graphs-');

const outcomes = { ok: 0, refused: 0 };

async function checkBoth(text: string) {
  const file = writeGraph(dir, text, 'g.json');
  const plain = await timed(10_000, () => runCli(['check', file]));
  expectCleanOutcome(plain);
  expect(plain.stderr.length).toBeLessThan(200 * 1024); // plain output lists 20 errors, then counts
  outcomes[plain.code === 0 ? 'ok' : 'refused']++;
  const json = await timed(10_000, () => runCli(['check', file, '--json']));
  expect(json.code).toBe(plain.code);
  if (json.stdout) {
    const report = JSON.parse(json.stdout) as { ok: boolean; errors: unknown[] };
    expect(report.ok).toBe(plain.code === 0);
    expect(json.stdout.length).toBeLessThan(2048 + 4096 * text.length); // linear in the file, never quadratic
  } else expectCleanOutcome(json, true);
}

describe('fuzz: graph files through check', () => {
  it('generated graphs (valid and broken): exit 0, or 1 with one sentence per problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(graphDoc, validChain), async (doc) => {
        await checkBoth(JSON.stringify(doc));
      }),
      { seed: FUZZ_SEED, numRuns: runs(150, 'graphs: generated') },
    );
    expectBoundedMemory();
    // Both kinds of case were generated: graphs that pass and graphs that are refused.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('damaged graph text (truncated, BOM, 20,000-deep, garbage): the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        validChain.chain((doc) => damagedText(JSON.stringify(doc))),
        async (text) => {
          await checkBoth(text);
        },
      ),
      { seed: FUZZ_SEED + 1, numRuns: runs(100, 'graphs: damaged text') },
    );
  });

  it('10⁴-block graphs (chains, rings, stars of heads): linear time and output', async () => {
    const big = fc.record({ n: fc.integer({ min: 5_000, max: 10_000 }), shape: fc.constantFrom('chain', 'ring', 'heads', 'inputs') });
    await fc.assert(
      fc.asyncProperty(big, async ({ n, shape }) => {
        const nodes: unknown[] = [{ id: 'in', type: 'TokenInput', params: { seqLen: 4 } }, { id: 'emb', type: 'Embedding', params: { dim: 4 } }];
        const edges: unknown[] = [{ id: 'e0', from: { node: 'in', port: 'out' }, to: { node: 'emb', port: 'in' } }];
        const type = shape === 'heads' ? 'NextTokenHead' : shape === 'inputs' ? 'TokenInput' : 'Dense';
        for (let i = 0; i < n; i++) {
          nodes.push({ id: `b${i}`, type, params: type === 'Dense' ? { units: 4 } : {} });
          const from = shape === 'chain' || shape === 'ring' ? (i === 0 ? (shape === 'ring' ? `b${n - 1}` : 'emb') : `b${i - 1}`) : 'emb';
          if (type !== 'TokenInput') edges.push({ id: `e${i + 1}`, from: { node: from, port: 'out' }, to: { node: `b${i}`, port: 'in' } });
        }
        if (shape !== 'heads') nodes.push({ id: 'head', type: 'NextTokenHead', params: {} });
        if (shape === 'chain') edges.push({ id: 'eh', from: { node: `b${n - 1}`, port: 'out' }, to: { node: 'head', port: 'in' } });
        await checkBoth(JSON.stringify({ format: 'wordloom-graph', version: 1, name: shape, nodes, edges }));
      }),
      { seed: FUZZ_SEED + 2, numRuns: runs(4, 'graphs: 10^4 blocks') },
    );
    expectBoundedMemory();
  });

  it('the graph path itself: a folder, a missing file, a FIFO-like name', async () => {
    for (const path of [dir, join(dir, 'missing.json'), '/dev/null', '']) {
      const r = await runCli(['check', path]);
      expectCleanOutcome(r, true);
    }
  });
});
