import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import { startNodeBackend } from '../../../../core/host-node/backend';
import { loadDataset } from '../../../../core/host-node/datasets';
import { loadRun, type LoadedRun } from '../../../../core/run/load';
import { runFiles, trainRun } from '../../../../core/run/session';
import { withTrainDefaults } from '../../../../core/train/protocol';
import { chain, makeGraph, makeNode } from '../../../builders';
import { NEEDS_TORCH, python, removeTempDirs, ROOT, TORCH_PY, writeFiles } from './helpers';
import { printedLosses } from './train-helpers';

// Issue 11, item 5: the PyTorch export of a fine-tuned run trains on from its weights. A small LM pre-trained on
// Shakespeare and fine-tuned on the instructions is exported; train.py on the instructions starts at the run's loss
// (a learning rate too small to move the weights, so the printed losses measure where it starts), and
// --from-scratch starts where random weights do.

afterAll(async () => {
  removeTempDirs();
  await tf.setBackend('cpu');
});

const lm = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 32 }, 'in'),
    makeNode('Embedding', { dim: 32 }, 'emb'),
    makeNode('PositionalEncoding', { kind: 'sinusoidal' }, 'pos'),
    makeNode('TransformerBlock', { heads: 2, ffMultiplier: 2 }, 'block'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'pos', 'block', 'head'),
  'Fine-tuned LM',
);
const config = (steps: number) => withTrainDefaults({ steps, batchSize: 16, evalEvery: steps, evalBatches: 4, warmupSteps: 10, seed: 5, chrfPrompts: 0 });
const quiet = { backend: 'wasm', emit: () => {}, yieldToHost: async () => {} };
const ROWS = 400;

let run: LoadedRun;
let dir: string;

beforeAll(async () => {
  await startNodeBackend('wasm');
  const shakespeare = loadDataset('shakespeare', { tokenizer: 'char' });
  const pre = await trainRun({ graph: lm, data: shakespeare, config: config(150), ...quiet });
  const instructions = loadDataset('instructions', { tokenizer: 'char', reuseTokenizer: shakespeare.tokenizer });
  const tuned = await trainRun({ graph: lm, data: instructions, config: config(100), ...quiet, parent: pre });
  pre.model.dispose();
  run = await loadRun(await runFiles(tuned, instructions), 'fine-tuned');
  tuned.model.dispose();
  dir = writeFiles(await exportPytorch(run), 'wordloom-ft-');
  const rows = readFileSync(join(ROOT, 'core/data/bundled/instructions.jsonl'), 'utf8').split('\n').slice(0, ROWS);
  writeFileSync(join(dir, 'instructions.jsonl'), rows.join('\n') + '\n');
}, 600_000);

describe('train.py on the export of a fine-tuned run', () => {
  it('says in its help that it resumes from the exported weights and offers --from-scratch', () => {
    const source = readFileSync(join(dir, 'train.py'), 'utf8');
    expect(run.manifest.parent?.loaded).toEqual(['emb', 'block', 'head']);
    expect(source).toContain('Training resumes from the exported weights');
    expect(source).toContain('"--from-scratch"');
  });

  it.skipIf(!TORCH_PY)(`starts at the fine-tuned run's loss, and --from-scratch at a random model's${NEEDS_TORCH}`, () => {
    const args = ['train.py', '--data', 'instructions.jsonl', '--steps', '6', '--seed', '3', '--lr', '1e-9', '--out', 'x.safetensors'];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const resumed = mean(printedLosses(python(args, dir), 6));
    const scratch = mean(printedLosses(python([...args, '--from-scratch'], dir), 6));
    const tfjs = run.manifest.result!.valLoss;
    console.log(`train.py on instructions: resumed ${resumed.toFixed(3)}, from scratch ${scratch.toFixed(3)}, tf.js validation ${tfjs.toFixed(3)}`);
    expect(Math.abs(resumed - tfjs)).toBeLessThan(0.35);
    expect(scratch).toBeGreaterThan(resumed + 1);
  });
});
