/** The equivalence check every model test runs: export, then model.py's logits against tf.js's. */
import { expect } from 'vitest';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import type { LoadedRun } from '../../../../core/run/load';
import { compareInPython, tokenRows, writeFiles } from './helpers';

/** Largest absolute logit difference allowed between model.py and tf.js (float32 on both sides). */
export const TOLERANCE = 1e-4;

/** Exports `run`, runs model.py on full and right-padded batches, and expects the tf.js logits within TOLERANCE. */
export async function expectSameLogits(run: LoadedRun, batch = 4): Promise<string> {
  const dir = writeFiles(await exportPytorch(run));
  const { seqLen, binding } = run.manifest;
  const batches = [
    tokenRows(batch, seqLen, binding.vocabSize, false, 1),
    tokenRows(batch, seqLen, binding.vocabSize, true, 2),
  ];
  const results = compareInPython(dir, run.model, batches);
  const outShape = run.model.outputs[0]?.shape.slice(1) ?? [];
  for (const r of results) {
    expect(r.shape).toEqual([batch, ...outShape]);
    expect(r.scale).toBeGreaterThan(0.1); // the logits are not trivially zero
    expect(r.maxdiff).toBeLessThan(TOLERANCE);
  }
  return dir;
}
