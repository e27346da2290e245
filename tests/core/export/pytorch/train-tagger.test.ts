import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_TORCH, python, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses, runReadmeSnippet } from './train-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a BiLSTM tagger (word tokenizer, JSONL tokens and tags)', () => {
  it(`puts the tag names in tokenizer.json, trains 20 steps on a POS slice with falling loss, runs the README example and refuses unknown tags${NEEDS_TORCH}`, async () => {
    const { run, dir, data } = await exportTrainedRun('lstm-tagger.json', 'pos', 'word', 300);
    const tok = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { kind: string; labels: string[] };
    expect(tok.kind).toBe('word');
    expect(tok.labels).toEqual(run.manifest.labels);
    expect(tok.labels).toContain('NOUN');
    if (!TORCH_PY) return;
    const losses = printedLosses(python(['train.py', '--data', data, '--steps', '20'], dir), 20);
    expect(losses[19]).toBeLessThan(losses[0] ?? 0);
    const tags = JSON.parse(runReadmeSnippet(dir).replace(/'/g, '"')) as string[];
    expect(tags).toHaveLength(3); // one tag per word of the README's example sentence
    for (const t of tags) expect(tok.labels).toContain(t);
    writeFileSync(join(dir, 'odd.jsonl'), '{"tokens": ["Hello", "there"], "tags": ["INTJ", "SPACESHIP"]}\n');
    expect(() => python(['train.py', '--data', 'odd.jsonl', '--steps', '1'], dir)).toThrow(
      "odd.jsonl has the tag 'SPACESHIP', which the model does not know",
    );
  });
});
