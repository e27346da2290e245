/**
 * `npm run bench`: ms/step and tokens/s of three templates compiled by Wordloom, next to the same
 * architectures hand-written in tf.js (and in PyTorch, 2 threads, where it is installed), on the
 * wasm and cpu backends. Prints a table and writes bench/results.json.
 * `npm run bench -- lstm --backends wasm --out /tmp/lstm.json` runs a part (models as positionals) and writes
 * where told: a part never overwrites the committed results of the whole run.
 * Each row also has the spread of its step times (min and max around the median) and, from tf.profile of one
 * compiled step, the kernel calls per step and the share of kernel time spent in matrix products.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { compileGraph } from '../core/compile/compile';
import { parseGraph } from '../core/graph/io';
import type { Graph } from '../core/graph/model';
import { startNodeBackend, type NodeBackend } from '../core/host-node/backend';
import { isWasmBackend } from '../core/kernels/backend-access';
import { ownWasmFlavour } from '../core/kernels/own-wasm';
import { adamWFor } from '../core/train/optimizer';
import { withSeededRandom } from '../core/train/seed';
import { optimizeStep, uniqueVariables } from '../core/train/trainer';
import { handBow, handGpt, handLstm, type HandModel } from './handwritten';
import { profileStep } from './profile-step';

interface Case {
  model: 'gpt' | 'lstm' | 'bow';
  template: string;
  batchSize: number;
  vocabSize: number;
  numClasses: number;
  hand: () => HandModel;
  /** Steps timed per backend (after 2 warm-up steps): cpu is slow for the big ones. */
  steps: Record<NodeBackend, number>;
}

const V_CHAR = 69; // Shakespeare, char tokenizer (with pad and specials)
const V_WORD = 5009; // sentiment, word tokenizer
const CASES: Case[] = [
  {
    model: 'gpt',
    template: 'mini-gpt',
    batchSize: 12,
    vocabSize: V_CHAR,
    numClasses: 0,
    hand: () => handGpt(V_CHAR, 64, 128, 4, 4),
    steps: { wasm: 25, cpu: 3 },
  },
  {
    model: 'lstm',
    template: 'lstm-lm',
    batchSize: 32,
    vocabSize: V_CHAR,
    numClasses: 0,
    hand: () => handLstm(V_CHAR, 64, 64, 256),
    steps: { wasm: 25, cpu: 3 },
  },
  {
    model: 'bow',
    template: 'bow-classifier',
    batchSize: 64,
    vocabSize: V_WORD,
    numClasses: 2,
    hand: () => handBow(V_WORD, 128, 2),
    steps: { wasm: 60, cpu: 10 },
  },
];

const template = (name: string): Graph => {
  const parsed = parseGraph(JSON.parse(readFileSync(`templates/${name}.json`, 'utf8')));
  if (!parsed.graph) throw new Error(`templates/${name}.json does not parse`);
  return parsed.graph;
};

function batchFor(c: Case, T: number, seed: number) {
  const rng = ((s) => () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648))(seed);
  const tokens = Int32Array.from({ length: c.batchSize * T }, () => 1 + Math.floor(rng() * (c.vocabSize - 1)));
  const perRow = c.numClasses > 0 ? 1 : T;
  const targets = Int32Array.from({ length: c.batchSize * perRow }, () =>
    c.numClasses > 0 ? Math.floor(rng() * c.numClasses) : 1 + Math.floor(rng() * (c.vocabSize - 1)),
  );
  return { batchSize: c.batchSize, seqLen: T, tokens, targets, weights: new Float32Array(targets.length).fill(1) };
}

interface Timing {
  median: number;
  min: number;
  max: number;
}

/** Median (and min, max) ms/step of `steps` AdamW steps after 2 warm-ups. */
interface Model {
  forward: (x: tf.Tensor2D) => tf.Tensor;
  vars: tf.Variable[];
}

/**
 * Times `steps` training steps of each model (after 2 warm-up steps each), alternating between them step by step
 * and swapping which goes first every step, so drift in the machine's speed (other VMs on the host, frequency)
 * lands on both alike and their ratio is fair. Medians with the spread.
 */
async function timeSteps(models: Model[], c: Case, T: number, steps: number): Promise<Timing[]> {
  const runs = models.map((m) => ({ ...m, opt: adamWFor({ weightDecay: 0.01, gradClip: 1 }), times: [] as number[] }));
  for (let i = 0; i < steps + 2; i++) {
    const batch = batchFor(c, T, i + 1);
    const order = i % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      const t0 = performance.now();
      const loss = optimizeStep(run.forward, run.vars, run.opt, batch, 1e-3);
      await loss.data();
      loss.dispose();
      if (i >= 2) run.times.push(performance.now() - t0);
    }
  }
  return runs.map(({ opt, times }) => {
    opt.dispose();
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
  });
}

/** Kernel calls and matmul share of one compiled step (after the timed ones, so nothing is first-call). */
async function profileOne(forward: (x: tf.Tensor2D) => tf.Tensor, vars: tf.Variable[], c: Case, T: number) {
  const opt = adamWFor({ weightDecay: 0.01, gradClip: 1 });
  const step = async (): Promise<void> => {
    const loss = optimizeStep(forward, vars, opt, batchFor(c, T, 99), 1e-3);
    await loss.data();
    loss.dispose();
  };
  await step();
  const p = await profileStep(step);
  opt.dispose();
  return { kernelCalls: p.kernels, matmulShare: p.matmulShare };
}

type TorchTimes = Partial<Record<Case['model'], Timing>> & { threads: number; version: string };

function torchTimes(): TorchTimes | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      const cfg = {
        gpt: { V: V_CHAR, T: 64, D: 128, H: 4, L: 4, B: 12, steps: 15 },
        lstm: { V: V_CHAR, E: 64, U: 256, T: 64, B: 32, steps: 15 },
        bow: { V: V_WORD, hidden: 128, C: 2, T: 100, B: 64, steps: 40 },
      };
      return JSON.parse(
        execFileSync(py, ['bench/torch_bench.py', JSON.stringify(cfg)], { encoding: 'utf8' }),
      ) as TorchTimes;
    } catch {
      continue;
    }
  }
  return null;
}

async function main(): Promise<void> {
  const { values, positionals: only } = parseArgs({
    allowPositionals: true,
    options: {
      backends: { type: 'string', default: 'wasm,cpu' },
      out: { type: 'string' },
      // Threads sharing big wasm matmuls (core/kernels/gemm-pool.ts); 1 is what the table's targets are set on.
      threads: { type: 'string', default: '1' },
    },
  });
  const backends = values.backends.split(',').filter((b): b is NodeBackend => b === 'wasm' || b === 'cpu');
  const unknown = only.filter((m) => !CASES.some((c) => c.model === m));
  if (backends.length === 0 || unknown.length > 0)
    throw new Error(
      `Usage: bench [${CASES.map((c) => c.model).join('|')} …] [--backends wasm,cpu] [--threads N] [--out file.json]`,
    );
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a whole number ≥ 1, got ${values.threads}.`);
  const partial = only.length > 0 || backends.length < 2 || threads !== 1;
  const out = values.out ?? (partial ? undefined : 'bench/results.json');
  if (out === undefined) throw new Error('A partial bench run needs --out: bench/results.json holds the whole run.');
  const rows = [];
  let ownWasm: string | null = null;
  const loadBefore = loadavg()[0];
  const torch = torchTimes();
  for (const backend of backends) {
    await startNodeBackend(backend, { threads });
    if (backend === 'wasm') {
      const engine: unknown = tf.engine().backend;
      ownWasm = (isWasmBackend(engine) && ownWasmFlavour(engine)) || 'none';
    }
    for (const c of CASES.filter((x) => only.length === 0 || only.includes(x.model))) {
      const graph = template(c.template);
      const res = withSeededRandom(1, () =>
        compileGraph(graph, { vocabSize: c.vocabSize, numClasses: c.numClasses || 2 }),
      );
      if (!res.ok) throw new Error(`${c.template}: ${res.diagnostics.map((d) => d.message).join(' ')}`);
      const T = res.model.inputs[0].shape[1] as number;
      const forward = (x: tf.Tensor2D) => res.model.apply(x, { training: true }) as tf.Tensor;
      const hand = withSeededRandom(1, c.hand);
      const [ours, handWritten] = await timeSteps(
        [{ forward, vars: uniqueVariables(res.model) }, hand],
        c,
        T,
        c.steps[backend],
      );
      const profile = await profileOne(forward, uniqueVariables(res.model), c, T);
      res.model.dispose();
      hand.dispose();
      const torchMs = torch?.[c.model] ?? null;
      rows.push({
        model: c.model,
        backend,
        msPerStep: ours.median,
        minMs: ours.min,
        maxMs: ours.max,
        tokensPerSec: (c.batchSize * T * 1000) / ours.median,
        ...profile,
        handWrittenMsPerStep: handWritten.median,
        torchMsPerStep: torchMs?.median ?? null,
        torchMinMs: torchMs?.min ?? null,
        torchMaxMs: torchMs?.max ?? null,
      });
      const handWrittenMsPerStep = handWritten.median;
      const r = rows[rows.length - 1];
      console.error(
        `${r.model}/${r.backend}: ${r.msPerStep.toFixed(1)} ms/step (hand-written ${handWrittenMsPerStep.toFixed(1)})`,
      );
    }
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tf.version.tfjs,
    torch: torch ? String(torch.version) : null,
    torchThreads: torch ? torch.threads : null,
    wasmThreads: threads,
    /** Which build of our wasm kernels ran: 'relaxed' (fused multiply-adds), 'simd' (SIMD128 only) or 'none'. */
    ownWasmKernels: ownWasm,
    date: new Date().toISOString(),
    /** 1-minute load averages at the start and end: above ~0.5 on 2 cores, other work shared the machine. */
    loadAverage: [loadBefore, loadavg()[0]],
  };
  printTable(rows);
  writeFileSync(out, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

function printTable(
  rows: {
    model: string;
    backend: string;
    msPerStep: number;
    minMs: number;
    maxMs: number;
    tokensPerSec: number;
    kernelCalls: number;
    matmulShare: number;
    handWrittenMsPerStep: number;
    torchMsPerStep: number | null;
  }[],
): void {
  const head = [
    'model',
    'backend',
    'ms/step',
    'min–max',
    'tokens/s',
    'kernels/step',
    'matmul %',
    'hand-written ms',
    'hand/ours',
    'torch ms',
    'ours/torch',
  ];
  const body = rows.map((r) => [
    r.model,
    r.backend,
    r.msPerStep.toFixed(1),
    `${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)}`,
    Math.round(r.tokensPerSec).toString(),
    r.kernelCalls.toString(),
    (100 * r.matmulShare).toFixed(0),
    r.handWrittenMsPerStep.toFixed(1),
    (r.handWrittenMsPerStep / r.msPerStep).toFixed(2),
    r.torchMsPerStep === null ? '—' : r.torchMsPerStep.toFixed(1),
    r.torchMsPerStep === null ? '—' : (r.msPerStep / r.torchMsPerStep).toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

await main();
