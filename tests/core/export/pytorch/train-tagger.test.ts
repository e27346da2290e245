import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_TORCH, python, removeTempDirs, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses, runReadmeSnippet, type ExportedRun } from './train-helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a BiLSTM tagger (word tokenizer, JSONL tokens and tags)', () => {
  let exported: ExportedRun | undefined;
  const get = async (): Promise<ExportedRun> =>
    (exported ??= await exportTrainedRun('lstm-tagger.json', 'pos', 'word', 300));
  const labelsOf = (dir: string): string[] =>
    (JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { labels: string[] }).labels;

  it('puts the tag names in tokenizer.json next to the word tokenizer', async () => {
    const { run, dir } = await get();
    const tok = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { kind: string; labels: string[] };
    expect(tok.kind).toBe('word');
    expect(tok.labels).toEqual(run.manifest.labels);
    expect(tok.labels).toContain('NOUN');
  });

  it.skipIf(!TORCH_PY)(`trains 20 steps on a POS slice with falling loss${NEEDS_TORCH}`, async () => {
    const { dir, data } = await get();
    const losses = printedLosses(python(['train.py', '--data', data, '--steps', '20'], dir), 20);
    expect(losses[19]).toBeLessThan(losses[0] ?? 0);
  });

  it.skipIf(!TORCH_PY)(`runs the README's tagging example: one known tag per word${NEEDS_TORCH}`, async () => {
    const { dir } = await get();
    const tags = JSON.parse(runReadmeSnippet(dir).replace(/'/g, '"')) as string[];
    expect(tags).toHaveLength(3); // "The cat sat"
    for (const t of tags) expect(labelsOf(dir)).toContain(t);
  });

  it.skipIf(!TORCH_PY)(`refuses a tag the model does not know with one sentence${NEEDS_TORCH}`, async () => {
    const { dir } = await get();
    writeFileSync(join(dir, 'odd.jsonl'), '{"tokens": ["Hello", "there"], "tags": ["INTJ", "SPACESHIP"]}\n');
    expect(() => python(['train.py', '--data', 'odd.jsonl', '--steps', '1'], dir)).toThrow(
      "odd.jsonl has the tag 'SPACESHIP', which the model does not know",
    );
  });
});
