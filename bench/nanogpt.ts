/**
 * `npm run bench:nanogpt [-- --steps N]`: nanoGPT's shakespeare_char CPU run, the reference every user of the field
 * knows, trained by Wordloom and by PyTorch in the same run on the same batches.
 *   Model: the Mini GPT template (4 layers, 4 heads, 128 wide, context 64; tied head), char tokens on the bundled
 *   Shakespeare, 90/10 split by position. Training: batch 12, AdamW (β 0.9/0.99, weight decay 0.1, clip 1),
 *   lr 1e-3 with 100 warmup steps and cosine decay to 1e-4 at the last step, dropout 0.
 *   Every `--eval-every` steps (and at the end): the validation loss over 20 fixed batches.
 * Both sides read the same token ids and the same batch offsets (written to a temp folder), and the PyTorch side
 * (bench/nanogpt_torch.py, 2 threads, a child process) mirrors the model and the schedule. They take turns,
 * `--turn` steps each (50), the order reversed every turn, so that a slow spell of the machine falls on both;
 * each side's wall time is the sum of its turns. nanoGPT's README: val 1.88 after 2000.
 * Prints a table and writes bench/nanogpt-results.json.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Batch } from '../core/data/batch';
import { loadDataset } from '../core/host-node/datasets';
import { parseGraph } from '../core/graph/io';
import { nodeWasmThreads, startNodeBackend, type NodeBackend } from '../core/host-node/backend';
import { compileForData } from '../core/run/session';
import { adamWFor } from '../core/train/optimizer';
import type { TrainConfig } from '../core/train/protocol';
import { learningRateAt } from '../core/train/schedule';
import { evaluateModel, trainStep, uniqueVariables } from '../core/train/trainer';
import { mulberry32 } from '../core/data/rng';
import { startTorchChild, torchPython } from './torch-child';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    'eval-every': { type: 'string', default: '250' },
    turn: { type: 'string', default: '50' },
    backend: { type: 'string', default: 'wasm' },
    // Threads wasm trains on: PyTorch's 2 (bench/nanogpt_torch.py) by default.
    threads: { type: 'string', default: '2' },
    'no-torch': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/nanogpt-results.json' },
  },
});
const positiveInt = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}".`);
  return n;
};
const STEPS = positiveInt('steps', args.steps);
const EVAL_EVERY = positiveInt('eval-every', args['eval-every']);
const BACKEND = args.backend as NodeBackend;
const THREADS = positiveInt('threads', args.threads);
const TURN = positiveInt('turn', args.turn);
if (BACKEND !== 'wasm' && BACKEND !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${args.backend}".`);
const B = 12;
const EVAL_BATCHES = 20;
const config: TrainConfig = {
  steps: STEPS,
  batchSize: B,
  learningRate: 1e-3,
  warmupSteps: 100,
  minLrRatio: 0.1,
  weightDecay: 0.1,
  gradClip: 1,
  seed: 1337,
  evalEvery: EVAL_EVERY,
  evalBatches: EVAL_BATCHES,
};

interface Curve {
  step: number;
  valLoss: number;
  /** Seconds of training so far (evaluations excluded). */
  trainSeconds: number;
}

/** Windows of T+1 ids at the given offsets: tokens = w[0..T), targets = w[1..T+1). */
function windows(ids: Int32Array, offsets: Int32Array, T: number): Batch {
  const n = offsets.length;
  const tokens = new Int32Array(n * T);
  const targets = new Int32Array(n * T);
  offsets.forEach((o, b) => {
    tokens.set(ids.subarray(o, o + T), b * T);
    targets.set(ids.subarray(o + 1, o + T + 1), b * T);
  });
  return { batchSize: n, seqLen: T, tokens, targets, weights: new Float32Array(n * T).fill(1) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** A run advanced `n` steps at a time: `advance` trains the next steps, evaluating where due. */
interface Run<R> {
  advance: (n: number) => Promise<void>;
  result: () => Promise<R>;
}

async function wordloom(
  data: ReturnType<typeof loadDataset>,
  train: Int32Array,
  val: Int32Array,
  trainOffsets: Int32Array,
  valOffsets: Int32Array,
  T: number,
) {
  await startNodeBackend(BACKEND, { threads: THREADS });
  const graph = parseGraph(JSON.parse(readFileSync('templates/mini-gpt.json', 'utf8'))).graph;
  if (!graph) throw new Error('templates/mini-gpt.json does not parse');
  const { model } = compileForData(graph, data, config.seed);
  const vars = uniqueVariables(model);
  const opt = adamWFor(config);
  const valBatches = Array.from({ length: EVAL_BATCHES }, (_, i) =>
    windows(val, valOffsets.subarray(i * B, (i + 1) * B), T),
  );
  const curve: Curve[] = [];
  const stepMs: number[] = [];
  let [trainMs, wallMs, done] = [0, 0, 0];
  const before = tf.memory().numTensors;
  const run: Run<{
    curve: Curve[];
    wallSeconds: number;
    trainSeconds: number;
    medianStepMs: number;
    leakedTensors: number;
  }> = {
    advance: async (n) => {
      const start = performance.now();
      for (const end = Math.min(STEPS, done + n); done < end;) {
        const step = done;
        const batch = windows(train, trainOffsets.subarray(step * B, (step + 1) * B), T);
        const t0 = performance.now();
        const loss = trainStep(model, vars, opt, batch, learningRateAt(step, config));
        await loss.data();
        loss.dispose();
        const dt = performance.now() - t0;
        trainMs += dt;
        stepMs.push(dt);
        done = step + 1;
        if (done % EVAL_EVERY === 0 || done === STEPS) {
          const { valLoss } = await evaluateModel(model, 'next-token', valBatches);
          curve.push({ step: done, valLoss, trainSeconds: trainMs / 1000 });
          console.error(`wordloom step ${done}: val ${valLoss.toFixed(4)} (${(trainMs / 1000).toFixed(1)} s training)`);
        }
      }
      wallMs += performance.now() - start;
    },
    result: async () => {
      opt.dispose(); // its moments (two per variable) are made at the first step, after `before`
      const leaked = tf.memory().numTensors - before;
      model.dispose();
      return {
        curve,
        wallSeconds: wallMs / 1000,
        trainSeconds: trainMs / 1000,
        medianStepMs: median(stepMs),
        leakedTensors: leaked,
      };
    },
  };
  return run;
}

interface TorchResult {
  curve: Curve[];
  wallSeconds: number;
  trainSeconds: number;
  medianStepMs: number;
  threads: number;
  version: string;
}

/** PyTorch's run (bench/nanogpt_torch.py --serve), or null where torch is not installed or --no-torch. */
async function torch(dir: string, T: number, vocabSize: number): Promise<Run<TorchResult> | null> {
  if (args['no-torch']) return null;
  const cfg = {
    ...config, // steps, evalEvery, evalBatches, the schedule and the optimizer
    dir,
    B,
    T,
    V: vocabSize,
    D: 128,
    H: 4,
    L: 4,
  };
  const py = torchPython();
  if (py === undefined) {
    console.error('PyTorch is not installed (python3 -c "import torch" failed): the PyTorch column is empty.');
    return null;
  }
  const child = await startTorchChild(py, 'bench/nanogpt_torch.py', cfg);
  return {
    advance: async (n) => {
      await child.ask(`train ${n}`);
    },
    result: async () => {
      const out = (await child.ask('result')) as unknown as TorchResult;
      child.close();
      return out;
    },
  };
}

async function main(): Promise<void> {
  const load = [loadavg()[0]];
  const data = loadDataset('shakespeare', { tokenizer: 'char', valFraction: 0.1 });
  if (data.train.kind !== 'stream' || data.val.kind !== 'stream')
    throw new Error('shakespeare should be a token stream');
  const T = 64;
  const train = data.train.ids;
  const val = data.val.ids;
  const rng = mulberry32(config.seed);
  const offsetsIn = (ids: Int32Array, count: number): Int32Array =>
    Int32Array.from({ length: count }, () => Math.floor(rng() * (ids.length - T - 1)));
  const trainOffsets = offsetsIn(train, STEPS * B);
  const valOffsets = offsetsIn(val, EVAL_BATCHES * B);
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-nanogpt-'));
  try {
    const write = (name: string, a: Int32Array): void =>
      writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    write('train.i32', train);
    write('val.i32', val);
    write('train_offsets.i32', trainOffsets);
    write('val_offsets.i32', valOffsets);
    const theirRun = await torch(dir, T, data.binding.vocabSize);
    const ourRun = await wordloom(data, train, val, trainOffsets, valOffsets, T);
    for (let turn = 0; turn * TURN < STEPS; turn++) {
      const both = theirRun ? [theirRun, ourRun] : [ourRun];
      for (const run of turn % 2 === 0 ? both : both.reverse()) await run.advance(TURN);
    }
    const pytorch = theirRun ? await theirRun.result() : null;
    const ours = await ourRun.result();
    load.push(loadavg()[0]);
    const result = {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        tfjs: tf.version.tfjs,
        backend: BACKEND,
        wasmThreads: BACKEND === 'wasm' ? nodeWasmThreads() : null,
        torch: pytorch?.version ?? null,
        torchThreads: pytorch?.threads ?? null,
        loadAverage: load,
        date: new Date().toISOString(),
      },
      config: {
        ...config,
        seqLen: T,
        vocabSize: data.binding.vocabSize,
        trainTokens: train.length,
        valTokens: val.length,
      },
      wordloom: ours,
      pytorch,
    };
    printTable(ours.curve, pytorch?.curve ?? []);
    console.log(
      `\nWordloom (${BACKEND}): ${ours.trainSeconds.toFixed(1)} s training, ${ours.wallSeconds.toFixed(1)} s wall, ` +
        `median ${ours.medianStepMs.toFixed(1)} ms/step` +
        (pytorch
          ? `; PyTorch: ${pytorch.trainSeconds.toFixed(1)} s training, ${pytorch.wallSeconds.toFixed(1)} s wall, median ${pytorch.medianStepMs.toFixed(1)} ms/step; wall ratio ${(ours.wallSeconds / pytorch.wallSeconds).toFixed(2)}`
          : ''),
    );
    writeFileSync(args.out ?? 'bench/nanogpt-results.json', `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Wrote ${args.out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(ours: Curve[], theirs: Curve[]): void {
  const head = ['step', 'wordloom val', 'wordloom s', 'torch val', 'torch s'];
  const rows = ours.map((c, i) => [
    String(c.step),
    c.valLoss.toFixed(4),
    c.trainSeconds.toFixed(1),
    theirs[i]?.valLoss.toFixed(4) ?? '—',
    theirs[i]?.trainSeconds.toFixed(1) ?? '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

await main();
