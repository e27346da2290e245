import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEEDS_TORCH, python, removeTempDirs, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses, type ExportedRun } from './train-helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a GRU language model (bpe tokenizer, TSV prompt/completion pairs)', () => {
  let exported: ExportedRun | undefined;
  const get = async (): Promise<ExportedRun> =>
    (exported ??= await exportTrainedRun('gru-lm.json', 'translation-en-fr', 'bpe:100', 300));

  it("defaults to the bundled set's en/fr columns", async () => {
    const { dir } = await get();
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toContain('ap.add_argument("--columns", default="en,fr"');
  });

  it.skipIf(!TORCH_PY)(`trains 20 steps on the completions with falling loss${NEEDS_TORCH}`, async () => {
    const { dir, data } = await get();
    const losses = printedLosses(python(['train.py', '--data', data, '--steps', '20'], dir), 20);
    expect(losses[19]).toBeLessThan(losses[0] ?? 0);
  });
});
