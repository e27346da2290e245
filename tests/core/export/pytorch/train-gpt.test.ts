import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../../core/export/pytorch/safetensors';
import { compareInPython, NEEDS_TORCH, python, removeTempDirs, tokenRows, TORCH_PY } from './helpers';
import { exportTrainedRun, printedLosses, runDistributed, runReadmeSnippet, type ExportedRun } from './train-helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train.py on a mini GPT (char tokenizer, plain text)', () => {
  let exported: ExportedRun | undefined;
  const get = async (): Promise<ExportedRun> =>
    (exported ??= await exportTrainedRun('mini-gpt.json', 'shakespeare', 'char', 400));

  it.skipIf(!TORCH_PY)(
    `a trained, saved and reloaded run exports logits equal to tf.js's within 1e-4${NEEDS_TORCH}`,
    async () => {
      const { run, dir } = await get();
      const { seqLen, binding } = run.manifest;
      const [r] = compareInPython(dir, run.model, [tokenRows(2, seqLen, binding.vocabSize, false, 3)]);
      expect(r?.maxdiff).toBeLessThan(1e-4);
    },
  );

  it.skipIf(!TORCH_PY)(
    `runs 20 steps on a Shakespeare slice, its loss falls, and it saves weights model.py loads${NEEDS_TORCH}`,
    async () => {
      const { dir, data } = await get();
      const before = readFileSync(join(dir, 'weights.safetensors'));
      const out = python(['train.py', '--data', data, '--steps', '20', '--seed', '3'], dir);
      const losses = printedLosses(out, 20);
      expect(losses[19]).toBeLessThan(losses[0] ?? 0);
      expect(out).toContain('saved ');
      const after = readFileSync(join(dir, 'weights.safetensors'));
      expect(after.equals(before)).toBe(false);
      const names = (b: Buffer) =>
        readSafetensors(new Uint8Array(b)).tensors.map((t) => `${t.name}:${t.shape.join('x')}`);
      expect(names(after)).toEqual(names(before));
      const check =
        'import sys; sys.path.insert(0, "."); from model import load_model; m = load_model("."); print(sum(p.numel() for p in m.parameters()))';
      expect(Number(python(['-c', check], dir))).toBe((await get()).run.model.countParams());
    },
  );

  it.skipIf(!TORCH_PY)(
    `trains under torchrun's environment: two Gloo processes, DistributedDataParallel, rank 0 prints and saves${NEEDS_TORCH}`,
    async () => {
      const { dir, data } = await get();
      const [rank0, rank1] = await runDistributed(
        dir,
        ['--data', data, '--steps', '3', '--batch', '4', '--out', 'ddp.safetensors'],
        2,
        240_000,
      );
      printedLosses(rank0 ?? '', 3);
      expect(rank1).not.toMatch(/^step /m);
      expect(
        readSafetensors(new Uint8Array(readFileSync(join(dir, 'ddp.safetensors')))).tensors.length,
      ).toBeGreaterThan(0);
    },
    // Two Python processes each import torch (seconds when idle, longer on two cores shared with other test files);
    // runDistributed kills both ranks at 240 s and reports what they printed, before this limit.
    300_000,
  );

  it.skipIf(!TORCH_PY)(`the README's load-and-generate example runs and prints text${NEEDS_TORCH}`, async () => {
    const out = runReadmeSnippet((await get()).dir);
    expect(out.startsWith('To be, or not')).toBe(true);
    expect(out.length).toBeGreaterThan('To be, or not'.length + 20);
  });

  it.skipIf(!TORCH_PY)(`refuses a missing data file with one sentence${NEEDS_TORCH}`, async () => {
    const { dir } = await get();
    expect(() => python(['train.py', '--data', 'missing.txt', '--steps', '1'], dir)).toThrow(
      'Cannot read missing.txt: no such file.',
    );
  });
});
