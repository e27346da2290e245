/**
 * `npm run bench`: ms/step and tokens/s of three templates compiled by Wordloom, next to the same
 * architectures hand-written in tf.js (and in PyTorch, 2 threads, where it is installed), on the
 * wasm and cpu backends. Prints a table and writes bench/results.json.
 * `npm run bench -- lstm --backends wasm --out /tmp/lstm.json` runs a part (models as positionals) and writes
 * where told: a part never overwrites the committed results of the whole run.
 * Each row also has the spread of its step times (min and max around the median) and, from tf.profile of one
 * compiled step, the kernel calls per step and the share of kernel time spent in matrix products.
 * Ours, the hand-written model and PyTorch (a child process serving one step per request) take turns step by
 * step, so a slow spell of the machine falls on all three; wasm runs on as many threads as PyTorch (2).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { compileGraph } from '../core/compile/compile';
import { parseGraph } from '../core/graph/io';
import type { Graph } from '../core/graph/model';
import { nodeWasmThreads, startNodeBackend, type NodeBackend } from '../core/host-node/backend';
import { isWasmBackend } from '../core/kernels/backend-access';
import { ownWasmFlavour } from '../core/kernels/own-wasm';
import { adamWFor } from '../core/train/optimizer';
import { withSeededRandom } from '../core/train/seed';
import { optimizeStep, uniqueVariables } from '../core/train/trainer';
import { handBow, handGpt, handLstm, type HandModel } from './handwritten';
import { profileStep } from './profile-step';
import { simdPeakGmacs } from './simd-peak';
import { startTorchChild, torchPython } from './torch-child';

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

/** One timed training step on the batch of `seed`: its ms. */
type Stepper = (seed: number) => Promise<number>;

/** A tf.js model's steps, each awaited to its loss, with its own AdamW. */
function tfjsStepper(m: Model, c: Case, T: number): { step: Stepper; dispose: () => void } {
  const opt = adamWFor({ weightDecay: 0.01, gradClip: 1 });
  const step: Stepper = async (seed) => {
    const batch = batchFor(c, T, seed);
    const t0 = performance.now();
    const loss = optimizeStep(m.forward, m.vars, opt, batch, 1e-3);
    await loss.data();
    loss.dispose();
    return performance.now() - t0;
  };
  return { step, dispose: () => opt.dispose() };
}

/**
 * Times `steps` steps of each stepper (after 2 warm-up steps each), alternating between them step by step and
 * reversing their order every step, so drift in the machine's speed (other VMs on the host, frequency) lands on
 * all alike and their ratios are fair. Medians with the spread.
 */
async function timeSteps(steppers: Stepper[], steps: number): Promise<Timing[]> {
  const times = steppers.map(() => [] as number[]);
  for (let i = 0; i < steps + 2; i++) {
    const order = steppers.map((_, j) => j);
    if (i % 2 === 1) order.reverse();
    for (const j of order) {
      const ms = await steppers[j](i + 1);
      if (i >= 2) times[j].push(ms);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { median: t[Math.floor(t.length / 2)], min: t[0], max: t[t.length - 1] };
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
  return {
    kernelCalls: p.kernels,
    matmulShare: p.matmulShare,
    matmulGmacs: p.matmulMacs / 1e9,
    matmulGmacPerSec: p.matmulMs > 0 ? p.matmulMacs / p.matmulMs / 1e6 : 0,
  };
}

/** The threads bench/torch_bench.py gives PyTorch (torch.set_num_threads). */
const TORCH_THREADS = 2;

/** bench/torch_bench.py's models, as the cases here are. */
const TORCH_CONFIG = {
  gpt: { V: V_CHAR, T: 64, D: 128, H: 4, L: 4, B: 12 },
  lstm: { V: V_CHAR, E: 64, U: 256, T: 64, B: 32 },
  bow: { V: V_WORD, hidden: 128, C: 2, T: 100, B: 64 },
};

/** PyTorch in a child process that runs one step of a model per request, so its steps alternate with ours. */
interface TorchSteps {
  threads: number;
  version: string;
  stepper: (model: Case['model']) => Stepper;
  /** torch.mm's median GMAC/s on an (m, k)·(k, n) float32 product. */
  gemm: (m: number, k: number, n: number) => Promise<number>;
  close: () => void;
}

async function startTorch(models: Case['model'][]): Promise<TorchSteps | null> {
  const py = torchPython();
  if (py === undefined || models.length === 0) return null;
  const cfg = Object.fromEntries(models.map((m) => [m, TORCH_CONFIG[m]]));
  const child = await startTorchChild(py, 'bench/torch_bench.py', cfg);
  return {
    threads: Number(child.ready.threads),
    version: String(child.ready.version),
    stepper: (model) => async () => Number((await child.ask(model)).ms),
    gemm: async (m, k, n) => Number((await child.ask(`gemm ${m} ${k} ${n}`)).gmacs),
    close: child.close,
  };
}

async function main(): Promise<void> {
  const { values, positionals: only } = parseArgs({
    allowPositionals: true,
    options: {
      backends: { type: 'string', default: 'wasm,cpu' },
      out: { type: 'string' },
      // Threads wasm trains on (tf.js' threaded build and our GEMM's helpers): PyTorch's 2 by default.
      threads: { type: 'string', default: String(TORCH_THREADS) },
    },
  });
  const backends = values.backends.split(',').filter((b): b is NodeBackend => b === 'wasm' || b === 'cpu');
  const unknown = only.filter((m) => !CASES.some((c) => c.model === m));
  if (backends.length === 0 || unknown.length > 0)
    throw new Error(
      `Usage: bench [${CASES.map((c) => c.model).join('|')} …] [--backends wasm,cpu] [--threads N] [--out file.json]`,
    );
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`--threads must be a whole number ≥ 1, got ${values.threads}.`);
  const partial = only.length > 0 || backends.length < 2 || threads !== TORCH_THREADS;
  const out = values.out ?? (partial ? undefined : 'bench/results.json');
  if (out === undefined) throw new Error('A partial bench run needs --out: bench/results.json holds the whole run.');
  const rows = [];
  let ownWasm: string | null = null;
  let wasmThreads = 1;
  const loadBefore = loadavg()[0];
  const cases = CASES.filter((x) => only.length === 0 || only.includes(x.model));
  const torch = await startTorch(cases.map((c) => c.model));
  // PyTorch's steps alternate with ours on the first backend timed (wasm, unless told otherwise); later rows reuse them.
  const torchMs: Partial<Record<Case['model'], Timing>> = {};
  for (const backend of backends) {
    await startNodeBackend(backend, { threads });
    if (backend === 'wasm') {
      wasmThreads = nodeWasmThreads();
      const engine: unknown = tf.engine().backend;
      ownWasm = (isWasmBackend(engine) && ownWasmFlavour(engine)) || 'none';
    }
    for (const c of cases) {
      const graph = template(c.template);
      const res = withSeededRandom(1, () =>
        compileGraph(graph, { vocabSize: c.vocabSize, numClasses: c.numClasses || 2 }),
      );
      if (!res.ok) throw new Error(`${c.template}: ${res.diagnostics.map((d) => d.message).join(' ')}`);
      const T = res.model.inputs[0].shape[1] as number;
      const forward = (x: tf.Tensor2D) => res.model.apply(x, { training: true }) as tf.Tensor;
      const hand = withSeededRandom(1, c.hand);
      const steppers = [tfjsStepper({ forward, vars: uniqueVariables(res.model) }, c, T), tfjsStepper(hand, c, T)];
      const withTorch = torch !== null && torchMs[c.model] === undefined;
      const [ours, handWritten, torchTiming] = await timeSteps(
        [...steppers.map((x) => x.step), ...(withTorch ? [torch.stepper(c.model)] : [])],
        c.steps[backend],
      );
      for (const x of steppers) x.dispose();
      if (withTorch) torchMs[c.model] = torchTiming;
      const profile = await profileOne(forward, uniqueVariables(res.model), c, T);
      res.model.dispose();
      hand.dispose();
      const torchRow = torchMs[c.model] ?? null;
      rows.push({
        model: c.model,
        backend,
        msPerStep: ours.median,
        minMs: ours.min,
        maxMs: ours.max,
        tokensPerSec: (c.batchSize * T * 1000) / ours.median,
        ...profile,
        handWrittenMsPerStep: handWritten.median,
        torchMsPerStep: torchRow?.median ?? null,
        torchMinMs: torchRow?.min ?? null,
        torchMaxMs: torchRow?.max ?? null,
      });
      const handWrittenMsPerStep = handWritten.median;
      const r = rows[rows.length - 1];
      console.error(
        `${r.model}/${r.backend}: ${r.msPerStep.toFixed(1)} ms/step (hand-written ${handWrittenMsPerStep.toFixed(1)})`,
      );
    }
  }
  const ceiling = await productCeiling(ownWasm === 'relaxed', wasmThreads, torch);
  torch?.close();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tf.version.tfjs,
    torch: torch ? torch.version : null,
    torchThreads: torch ? torch.threads : null,
    wasmThreads,
    /** Which build of our wasm kernels ran: 'relaxed' (fused multiply-adds), 'simd' (SIMD128 only) or 'none'. */
    ownWasmKernels: ownWasm,
    date: new Date().toISOString(),
    /** 1-minute load averages at the start and end: above ~0.5 on 2 cores, other work shared the machine. */
    loadAverage: [loadBefore, loadavg()[0]],
    ...ceiling,
  };
  printTable(rows, ceiling.wasmCeilingGmacPerSec);
  console.log(
    `\nwasm's ceiling for products: ${wasmThreads} thread(s) × ${ceiling.simd128PeakGmacPerThread.toFixed(1)} GMAC/s, ` +
      `one thread's SIMD128 multiply-add peak (${ownWasm === 'relaxed' ? 'fused' : 'multiply then add'}) = ` +
      `${ceiling.wasmCeilingGmacPerSec.toFixed(1)} GMAC/s; "floor ms" is a step's products at that rate.`,
  );
  const [m, k, n] = CEILING_SHAPE;
  if (ceiling.torchSgemmGmacPerSec !== null)
    console.log(
      `PyTorch's torch.mm on the Mini GPT's (${m}, ${k})·(${k}, ${n}): ` +
        `${ceiling.torchSgemmGmacPerSec.toFixed(1)} GMAC/s (${TORCH_THREADS} threads).`,
    );
  writeFileSync(out, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

/** The product the PyTorch rate is measured on: the Mini GPT's MLP up-projection, (768, 128)·(128, 512). */
const CEILING_SHAPE = [768, 128, 512] as const;

/**
 * What bounds the products: one thread's SIMD128 multiply-add peak (the best of three runs, each the best of
 * five) times wasm's threads, and, where PyTorch runs, torch.mm's rate on CEILING_SHAPE, taking turns with it.
 */
async function productCeiling(relaxed: boolean, threads: number, torch: TorchSteps | null) {
  const peaks: number[] = [];
  const sgemm: number[] = [];
  for (let round = 0; round < 3; round++) {
    peaks.push(await simdPeakGmacs(relaxed));
    if (torch) sgemm.push(await torch.gemm(...CEILING_SHAPE));
  }
  const peak = Math.max(...peaks);
  sgemm.sort((a, b) => a - b);
  return {
    simd128PeakGmacPerThread: peak,
    wasmCeilingGmacPerSec: peak * threads,
    torchSgemmGmacPerSec: sgemm.length > 0 ? sgemm[Math.floor(sgemm.length / 2)] : null,
    torchSgemmShape: CEILING_SHAPE,
  };
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
    matmulGmacs: number;
    matmulGmacPerSec: number;
    handWrittenMsPerStep: number;
    torchMsPerStep: number | null;
  }[],
  ceilingGmacPerSec: number,
): void {
  const head = [
    'model',
    'backend',
    'ms/step',
    'min–max',
    'tokens/s',
    'kernels/step',
    'matmul %',
    'GMAC/step',
    'matmul GMAC/s',
    'floor ms',
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
    r.matmulGmacs.toFixed(3),
    r.matmulGmacPerSec.toFixed(1),
    r.backend === 'wasm' ? ((r.matmulGmacs / ceilingGmacPerSec) * 1000).toFixed(1) : '—',
    r.handWrittenMsPerStep.toFixed(1),
    (r.handWrittenMsPerStep / r.msPerStep).toFixed(3), // 3 places: 2 printed a 0.946 as 0.95, a target's value
    r.torchMsPerStep === null ? '—' : r.torchMsPerStep.toFixed(1),
    r.torchMsPerStep === null ? '—' : (r.msPerStep / r.torchMsPerStep).toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

await main();
