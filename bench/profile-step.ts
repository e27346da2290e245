/**
 * `npx tsx bench/profile-step.ts [gpt|lstm|bow|gru|rnn] [wasm|cpu]`: tf.profile of one compiled training step
 * (forward, backward, AdamW) after a warm-up: kernel calls per kind and milliseconds per kind.
 * Prints a table; `--json` prints the same as JSON (the bench uses `profileStep`).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { compileGraph } from '../core/compile/compile';
import { parseGraph } from '../core/graph/io';
import { startNodeBackend, type NodeBackend } from '../core/host-node/backend';
import { adamWFor } from '../core/train/optimizer';
import { withSeededRandom } from '../core/train/seed';
import { optimizeStep, uniqueVariables } from '../core/train/trainer';

export interface StepProfile {
  kernels: number;
  /** Milliseconds summed over the kernels of each kind, and their call counts. */
  byKind: Record<string, { calls: number; ms: number }>;
  totalMs: number;
  matmulShare: number;
  /** Multiply-adds in the step's matrix products, and the milliseconds those products took. */
  matmulMacs: number;
  matmulMs: number;
}

/**
 * Multiply-adds of one product kernel: its output's size times the inner size K. a is (…, r, c), stored
 * transposed or not, and the output (…, M, N): untransposed r = M and K = c; transposed c = M and K = r; where
 * r = M = c either reading gives K = M.
 */
export function productMacs(aShape: number[], outShape: number[]): number {
  const [r, c] = aShape.slice(-2);
  const rows = outShape[outShape.length - 2];
  return outShape.reduce((n, d) => n * d, 1) * (r === rows ? c : r);
}

const MATMUL = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);
/**
 * Our attention kernels (core/kernels/attention.ts) run attention's batched products inside them: forward
 * q·kᵀ and P·v, backward dv, dP, dq and dk, each B·T²·D multiply-adds (all heads), counted in full although a
 * causal mask lets the kernels skip about half. Their time, mostly those products, counts as matmul time.
 */
const ATTENTION_PRODUCTS: Record<string, number> = { WordloomAttention: 2, WordloomAttentionGrad: 4 };

/**
 * Our LSTM sequence kernels (core/kernels/lstm-sequence.ts) run one (B, H)·(H, 4H) product per step forward and
 * one (B, 4H)·(4H, H) backward (one fewer, as nothing precedes the first step): T·B·H·4H each way, counted in full.
 * The GRU's (gru-sequence.ts) run (B, H)·(H, 2H) and (B, H)·(H, H) per step each way: T·B·H·3H; the simple
 * RNN's (rnn-sequence.ts) one (B, H)·(H, H): T·B·H·H.
 */
const LSTM_PRODUCTS = new Set([
  'WordloomLstmSequence',
  'WordloomLstmSequenceGrad',
  'WordloomGruSequence',
  'WordloomGruSequenceGrad',
  'WordloomRnnSequence',
  'WordloomRnnSequenceGrad',
]);

/** Multiply-adds of one profiled kernel's matrix products (0 for a kernel without any). */
function kernelMacs(name: string, inputShapes: number[][], outputShapes: number[][]): number {
  if (MATMUL.has(name)) return productMacs(inputShapes[0] ?? [], outputShapes[0] ?? []);
  if (LSTM_PRODUCTS.has(name)) {
    const [seqLen, batch] = inputShapes[0] ?? []; // proj forward, dy backward: (T, B, ·)
    const [units, width] = inputShapes.find((shape) => shape.length === 2) ?? []; // u (H, g·H), the one matrix
    return seqLen * batch * units * width;
  }
  const products = ATTENTION_PRODUCTS[name];
  if (products === undefined) return 0;
  const [batch, seqLen, width] = inputShapes[0] ?? []; // qkv (B, T, 3D) forward, dy (B, T, D) backward
  const dim = name === 'WordloomAttention' ? width / 3 : width;
  return products * batch * seqLen * seqLen * dim;
}
const isProduct = (name: string): boolean => MATMUL.has(name) || name in ATTENTION_PRODUCTS || LSTM_PRODUCTS.has(name);

/** Profiles `run` (one step) with tf.profile: kernel count and time per kernel kind. */
export async function profileStep(run: () => Promise<void>): Promise<StepProfile> {
  const info = await tf.profile(run);
  const byKind: Record<string, { calls: number; ms: number }> = {};
  let totalMs = 0;
  // tf.customGrad ops appear as entries named after their scope ('unnamed scope', or an op's like
  // 'fusedMatMul__op') around the kernels they run, which are listed too: only registered kernels count.
  const backend = tf.getBackend();
  const kernels = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = (byKind[k.name] ??= { calls: 0, ms: 0 });
    e.calls += 1;
    e.ms += ms;
    totalMs += ms;
  }
  const matmulMs = Object.entries(byKind)
    .filter(([name]) => isProduct(name))
    .reduce((s, [, e]) => s + e.ms, 0);
  const matmulMacs = kernels.reduce(
    (s, k) => s + kernelMacs(k.name, k.inputShapes as number[][], k.outputShapes as number[][]),
    0,
  );
  return {
    kernels: kernels.length,
    byKind,
    totalMs,
    matmulShare: totalMs > 0 ? matmulMs / totalMs : 0,
    matmulMacs,
    matmulMs,
  };
}

const TEMPLATES = {
  gpt: ['mini-gpt', 69, 0, 12],
  lstm: ['lstm-lm', 69, 0, 32],
  bow: ['bow-classifier', 5009, 2, 64],
  gru: ['gru-lm', 69, 0, 32],
  rnn: ['char-rnn', 69, 0, 32],
} as const;

/**
 * One compiled training step (forward, backward, AdamW) of a bench template on the current backend, on a fixed
 * batch: `step` runs it, `dispose` frees the model and the optimizer.
 */
export function templateStep(model: keyof typeof TEMPLATES): { step: () => Promise<void>; dispose: () => void } {
  const [name, V, C, B] = TEMPLATES[model];
  const parsed = parseGraph(JSON.parse(readFileSync(`templates/${name}.json`, 'utf8')));
  if (!parsed.graph) throw new Error(`templates/${name}.json does not parse`);
  const graph = parsed.graph;
  const res = withSeededRandom(1, () => compileGraph(graph, { vocabSize: V, numClasses: C || 2 }));
  if (!res.ok) throw new Error(`templates/${name}.json did not compile`);
  const T = res.model.inputs[0].shape[1] as number;
  const vars = uniqueVariables(res.model);
  const opt = adamWFor({ weightDecay: 0.01, gradClip: 1 });
  const batch = {
    batchSize: B,
    seqLen: T,
    tokens: Int32Array.from({ length: B * T }, (_, i) => 1 + (i % (V - 1))),
    targets: Int32Array.from({ length: C ? B : B * T }, (_, i) => (C ? i % C : 1 + ((i * 7) % (V - 1)))),
    weights: new Float32Array(C ? B : B * T).fill(1),
  };
  const step = async (): Promise<void> => {
    const loss = optimizeStep((x) => res.model.apply(x, { training: true }) as tf.Tensor, vars, opt, batch, 1e-3);
    await loss.data();
    loss.dispose();
  };
  return {
    step,
    dispose: () => {
      opt.dispose();
      res.model.dispose();
    },
  };
}

async function main(): Promise<void> {
  const model = (process.argv[2] ?? 'gpt') as keyof typeof TEMPLATES;
  const backend = (process.argv[3] ?? 'wasm') as NodeBackend;
  const at = process.argv.indexOf('--threads');
  await startNodeBackend(backend, { threads: at > 0 ? Number(process.argv[at + 1]) : 1 });
  const { step } = templateStep(model);
  await step();
  await step();
  const t0 = performance.now();
  await step();
  const wall = performance.now() - t0;
  const p = await profileStep(step);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ model, backend, wallMs: wall, ...p }));
    return;
  }
  console.log(
    `${model}/${backend}: ${p.kernels} kernel calls, ${p.totalMs.toFixed(1)} ms in kernels (profiled), ${wall.toFixed(1)} ms wall unprofiled, matmul share ${(p.matmulShare * 100).toFixed(0)}%`,
  );
  const rows = Object.entries(p.byKind).sort((a, b) => b[1].ms - a[1].ms);
  for (const [k, e] of rows)
    console.log(`${k.padEnd(24)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(1).padStart(9)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
