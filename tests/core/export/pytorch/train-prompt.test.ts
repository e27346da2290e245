import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_TORCH, python, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses } from './train-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a GRU language model (bpe tokenizer, TSV prompt/completion pairs)', () => {
  it(`knows the set's en/fr columns and trains 20 steps on the completions with falling loss${NEEDS_TORCH}`, async () => {
    const { dir, data } = await exportTrainedRun('gru-lm.json', 'translation-en-fr', 'bpe:100', 300);
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toContain('ap.add_argument("--columns", default="en,fr"');
    if (!TORCH_PY) return;
    const losses = printedLosses(python(['train.py', '--data', data, '--steps', '20'], dir), 20);
    expect(losses[19]).toBeLessThan(losses[0] ?? 0);
  });
});
