/**
 * `npm run bench:llama`: Mini LLaMA (RMSNorm + RoPE + SwiGLU + GQA) next to Mini GPT (LayerNorm + learned
 * positions + GELU MLP + MHA) at the same size, trained on Shakespeare (char tokens) for the same steps with
 * the same seed, batches, learning rate and schedule, on wasm. Prints a table and writes bench/llama-results.json.
 * WORDLOOM_BENCH_STEPS sets the steps (default 60).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseGraph } from '../core/graph/io';
import { startNodeBackend } from '../core/host-node/backend';
import { loadDataset } from '../core/host-node/datasets';
import { trainRun } from '../core/run/session';
import { withTrainDefaults, type TrainEvent } from '../core/train/protocol';

const STEPS = Number(process.env.WORDLOOM_BENCH_STEPS ?? 60);
const CONFIG = {
  steps: STEPS,
  batchSize: 12,
  learningRate: 3e-3,
  warmupSteps: 10,
  evalEvery: STEPS,
  evalBatches: 8,
  seed: 1,
};

interface Row {
  template: string;
  params: number;
  firstLoss: number;
  /** Mean training loss of the last 10 steps. */
  trainLoss: number;
  valLoss: number;
  msPerStep: number;
}

async function train(template: string): Promise<Row> {
  const file = `templates/${template}.json`;
  const { graph } = parseGraph(JSON.parse(readFileSync(file, 'utf8')), { fileName: file });
  if (!graph) throw new Error(`${file} does not parse`);
  const losses: number[] = [];
  const run = await trainRun({
    graph,
    data: loadDataset('shakespeare', { tokenizer: 'char' }),
    backend: 'wasm',
    config: withTrainDefaults(CONFIG),
    emit: (e: TrainEvent) => {
      if (e.event === 'step') losses.push(e.loss);
    },
    yieldToHost: async () => {},
  });
  const result = run.manifest.result;
  if (!result) throw new Error(`${template}: the run has no result`);
  const row: Row = {
    template,
    params: run.model.countParams(),
    firstLoss: losses[0] ?? NaN,
    trainLoss: losses.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length),
    valLoss: result.valLoss,
    msPerStep: (1000 * result.seconds) / result.steps,
  };
  run.model.dispose();
  return row;
}

await startNodeBackend('wasm');
const rows = [await train('mini-gpt'), await train('mini-llama')];
console.log(
  `Shakespeare, char tokens, ${STEPS} steps, batch ${CONFIG.batchSize}, lr ${CONFIG.learningRate}, seed 1, wasm`,
);
console.table(
  rows.map((r) => ({
    template: r.template,
    params: r.params,
    'first loss': r.firstLoss.toFixed(3),
    'train loss (last 10)': r.trainLoss.toFixed(3),
    'val loss': r.valLoss.toFixed(3),
    'ms/step (incl. eval)': r.msPerStep.toFixed(0),
  })),
);
const [gpt, llama] = rows;
if (gpt && llama) console.log(`val loss, Mini LLaMA / Mini GPT: ${(llama.valLoss / gpt.valLoss).toFixed(3)}`);
writeFileSync(
  'bench/llama-results.json',
  `${JSON.stringify({ machine: { cpus: cpus().length, node: process.version, tfjs: tf.version.tfjs, date: new Date().toISOString() }, config: CONFIG, rows }, null, 2)}\n`,
);
