import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { RUNTIME_SOURCE, RUNTIME_SOURCE_GPT2 } from '../../../core/export/tfjs/runtime-source.generated';
import { importsOf } from './helpers';

const run = promisify(execFile);

it('the committed runtime source is what build/build-runtime.mjs makes from core/ now', async () => {
  const { stdout } = await run(process.execPath, [join(process.cwd(), 'build', 'build-runtime.mjs'), '--print'], {
    maxBuffer: 1 << 26,
  });
  const fresh = JSON.parse(stdout) as { RUNTIME_SOURCE: string; RUNTIME_SOURCE_GPT2: string };
  const stale = 'is stale: run `node build/build-runtime.mjs` and commit core/export/tfjs/runtime-source.generated.ts';
  expect(RUNTIME_SOURCE === fresh.RUNTIME_SOURCE, `RUNTIME_SOURCE ${stale}`).toBe(true);
  expect(RUNTIME_SOURCE_GPT2 === fresh.RUNTIME_SOURCE_GPT2, `RUNTIME_SOURCE_GPT2 ${stale}`).toBe(true);
});

it('the runtime imports tf.js alone (gpt-tokenizer only in the gpt2 variant) and exports load and predict', () => {
  expect(importsOf(RUNTIME_SOURCE)).toEqual(['@tensorflow/tfjs']);
  expect(importsOf(RUNTIME_SOURCE_GPT2)).toEqual(['@tensorflow/tfjs', 'gpt-tokenizer/encoding/gpt2']);
  for (const src of [RUNTIME_SOURCE, RUNTIME_SOURCE_GPT2]) {
    expect(src).toMatch(/^export \{[^}]*\bload\b[^}]*\bpredict\b[^}]*\};?$/m);
    expect(src).not.toMatch(/\bfrom "zod"|\bfrom "fflate"/);
  }
});
