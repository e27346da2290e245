import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTfjs } from '../../../core/export/tfjs/index';
import { createRuntime } from '../../../core/export/tfjs/runtime-core';
import { readBasicTokenizer } from '../../../core/export/tfjs/runtime-tokenizer';
import { generate } from '../../../core/predict/generate';
import { startNodeBackend } from '../../../core/host-node/backend';
import { loadDataset } from '../../../core/host-node/datasets';
import { writeRunDir } from '../../../core/host-node/run-dir';
import { predictorOf, type LoadedRun } from '../../../core/run/load';
import { trainRun, type TrainedRun } from '../../../core/run/session';
import { withTrainDefaults } from '../../../core/train/protocol';
import { chain, makeGraph, makeNode } from '../../builders';
import { scratchDir } from './helpers';

// Issue 11, item 5: the tf.js export of a fine-tuned run answers prompts as the Ask tab does. The Ask tab sends the
// prompt to the worker, which runs core's generate on the run's predictor (prompt <|sep|>, until <|endoftext|>); the
// exported module's ask() must give the same answer, in-process and loaded by a plain Node process.

const execFileP = promisify(execFile);
const PROMPTS = ['What is the capital of France?', 'Who wrote Hamlet?'];
const OPTIONS = { tokens: 24, temperature: 0, topK: 0 };

const lm = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 32 }, 'in'),
    makeNode('Embedding', { dim: 16 }, 'emb'),
    makeNode('PositionalEncoding', { kind: 'sinusoidal' }, 'pos'),
    makeNode('SelfAttention', { heads: 2 }, 'att'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'pos', 'att', 'head'),
  'Ask LM',
);
const config = (steps: number) => withTrainDefaults({ steps, batchSize: 8, evalEvery: steps, evalBatches: 1, warmupSteps: 0, seed: 3, chrfPrompts: 0 });
const quiet = { backend: 'cpu', emit: () => {}, yieldToHost: async () => {} };

let pre: TrainedRun;
let tuned: LoadedRun;
let preRun: LoadedRun;

beforeAll(async () => {
  await startNodeBackend('cpu');
  const shakespeare = loadDataset('shakespeare', { tokenizer: 'char' });
  pre = await trainRun({ graph: lm, data: shakespeare, config: config(30), ...quiet });
  preRun = { manifest: pre.manifest, tokenizer: shakespeare.tokenizer, model: pre.model, predictor: predictorOf(pre.manifest, shakespeare.tokenizer, pre.model) };
  const instructions = loadDataset('instructions', { tokenizer: 'char', reuseTokenizer: shakespeare.tokenizer });
  const child = await trainRun({ graph: lm, data: instructions, config: config(30), ...quiet, parent: pre, freeze: ['emb'] });
  tuned = { manifest: child.manifest, tokenizer: instructions.tokenizer, model: child.model, predictor: predictorOf(child.manifest, instructions.tokenizer, child.model) };
}, 300_000);

afterAll(() => {
  pre.model.dispose();
  tuned.model.dispose();
});

/** What the Ask tab shows: the worker's stream of core's generate on the run's predictor, joined. */
async function askTab(run: LoadedRun, prompt: string): Promise<string> {
  let out = '';
  for await (const piece of generate(run.predictor, prompt, OPTIONS)) out += piece;
  return out;
}

describe('the tf.js export of a fine-tuned run answers as the Ask tab does', () => {
  it('in-process: ask() equals the Ask tab for each prompt, leaking no tensors', async () => {
    expect(tuned.manifest.parent?.runId).toBe(pre.manifest.id);
    const runtime = createRuntime(readBasicTokenizer);
    const model = await runtime.load({ files: await exportTfjs(tuned) });
    expect(model.config.promptCompletion).toBe(true);
    for (const prompt of PROMPTS) {
      const want = await askTab(tuned, prompt);
      expect(want.length).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      expect(await runtime.ask(prompt, OPTIONS)).toBe(want);
      expect(tf.memory().numTensors).toBe(before);
    }
    model.dispose();
  });

  it('a model not trained on prompt/completion data refuses ask() in one sentence, and generate() continues text', async () => {
    const runtime = createRuntime(readBasicTokenizer);
    const model = await runtime.load({ files: await exportTfjs(preRun) });
    await expect(runtime.ask('ROMEO:')).rejects.toThrow(
      'ask() needs a model trained on prompt/completion data; "Ask LM" was not: use generate().',
    );
    let want = '';
    for await (const piece of generate(preRun.predictor, 'ROMEO:', OPTIONS)) want += piece;
    expect(await runtime.generate('ROMEO:', OPTIONS)).toBe(want);
    model.dispose();
  });

  it('loaded by a plain Node process (tf.js + wordloom-model.js), ask() gives the same answers', async () => {
    const scratch = scratchDir('wordloom-ask-');
    const dir = join(scratch, 'export');
    writeRunDir(dir, await exportTfjs(tuned));
    const answer = join(scratch, 'answers.json');
    const script = join(scratch, 'ask.mjs');
    writeFileSync(
      script,
      [
        "import * as tf from '@tensorflow/tfjs';",
        "import { writeFileSync } from 'node:fs';",
        `const mod = await import(${JSON.stringify(join(dir, 'wordloom-model.js'))});`,
        "await tf.setBackend('cpu');",
        `await mod.load(${JSON.stringify(dir)});`,
        'const out = [];',
        `for (const p of ${JSON.stringify(PROMPTS)}) out.push(await mod.ask(p, ${JSON.stringify(OPTIONS)}));`,
        `writeFileSync(${JSON.stringify(answer)}, JSON.stringify(out));`,
      ].join('\n'),
    );
    await execFileP(process.execPath, [script], { maxBuffer: 1 << 26 });
    const got = JSON.parse(readFileSync(answer, 'utf8')) as string[];
    const want: string[] = [];
    for (const p of PROMPTS) want.push(await askTab(tuned, p));
    expect(got).toEqual(want);
  }, 120_000);
});
