/**
 * Issue 12, class 9: validation loss and accuracy used to come from 8 batches (128 examples), under
 * a fifth of a 7,687-row file's validation split, while users read them as the validation score.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalBatches, evalExampleCount, MAX_EVAL_TARGETS, maxEvalExamples } from '../../../core/data/batching';
import type { DataSplit } from '../../../core/data/split';
import { classifyTsv, runCli, tempDir, tinyClassifier, writeGraph } from '../cli/helpers';

const dir = tempDir('wordloom-eval-');

describe('validation metrics cover the validation split', () => {
  it('a 7,687-row file is validated on all 769 of its validation rows, and the CLI says so', async () => {
    const data = join(dir, 'rows.tsv');
    writeFileSync(data, classifyTsv(7687));
    const graph = writeGraph(dir, tinyClassifier(), 'tiny.json');
    const args = ['train', graph, '--data', data, '--steps', '1', '--backend', 'cpu'];
    const json = await runCli([...args, '--json', '--out', join(dir, 'json')]);
    expect(json.stderr).toBe('');
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const evals = events.filter((e) => e.event === 'eval');
    expect(evals).toHaveLength(1);
    expect(evals[0].examples).toBe(769);
    expect(events.at(-1)).toMatchObject({ event: 'done', valExamples: 769 });
    const plain = await runCli([...args, '--out', join(dir, 'plain')]);
    expect(plain.stdout).toMatch(/step 1: val loss \d+\.\d{4}, accuracy \d+\.\d% on 769 validation examples\n/);
    expect(plain.stdout).toMatch(/val loss \d+\.\d{4} on 769 validation examples\. Saved to /);
  });

  it('a stream longer than the cap is sampled at evenly spaced windows, and the count is the cap', () => {
    const split: DataSplit = {
      kind: 'stream',
      ids: Int32Array.from({ length: 64 * 5000 + 1 }, (_, i) => 1 + (i % 50)),
    };
    const shape = { batchSize: 16, seqLen: 64 };
    const cap = maxEvalExamples(split, 64);
    expect(cap).toBe(MAX_EVAL_TARGETS / 64); // a stream's cap is in targets: 256 windows of 64
    expect(evalExampleCount(split, shape)).toBe(cap);
    const batches = evalBatches(split, shape);
    expect(batches).toHaveLength(cap / 16);
    // The last window evaluated lies near the end of the split, not at cap × 64.
    const last = batches.at(-1)!;
    const lastStart = last.tokens[15 * 64];
    const k = cap - 1;
    expect(lastStart).toBe(1 + ((Math.floor((k * 5000) / cap) * 64) % 50));
  });

  it('a small split is evaluated whole, its last batch padded with weight-0 rows', () => {
    const split: DataSplit = {
      kind: 'classify',
      rows: Array.from({ length: 37 }, () => Int32Array.of(5, 6)),
      labels: new Int32Array(37),
    };
    const batches = evalBatches(split, { batchSize: 16, seqLen: 4 });
    expect(batches).toHaveLength(3);
    expect(batches.reduce((n, b) => n + b.weights.reduce((a, w) => a + w, 0), 0)).toBe(37);
  });
});
