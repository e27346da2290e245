/**
 * Page entry of webgpu-kernels.spec.ts (bundled there with esbuild): every kernel Wordloom patches on webgpu, and
 * the int32 paths the templates take, run on cpu and on webgpu with the same inputs; values, shapes, dtypes and,
 * for differentiable ops, gradients are compared. The same cases also run on the stock webgpu kernels, to record
 * what each patch fixes (reported, not asserted: a Chromium or tf.js upgrade may fix them upstream).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWordloomKernels, unregisterWordloomKernels } from '../../../core/kernels/index';
import { evalSums, maskedCrossEntropy } from '../../../core/train/loss';
import { mulberry32 } from '../../../core/train/seed';

export interface CaseResult {
  name: string;
  /** The Wordloom kernel it exercises, or 'stock' for a path that needs no patch. */
  kernel: string;
  /** Max over elements of |webgpu − reference| / (atol + rtol·|reference|): at most 1 passes. */
  worst: number;
  maxAbsDiff: number;
  /** Shape or dtype mismatches, thrown errors and WebGPU validation errors; empty when none. */
  problems: string[];
}

export interface KernelRun {
  adapter: string | null;
  patched: CaseResult[];
  stock: CaseResult[];
}

type Rand = () => number;
interface Case {
  name: string;
  kernel: string;
  /** Builds its inputs from `rand` (same stream on both backends) and returns outputs and gradients. */
  run: (rand: Rand) => tf.Tensor[];
  /** Expected values when the cpu backend is not the reference (its rank-1 binary DenseBincount counts). */
  expected?: (rand: Rand) => { values: number[][]; shapes: number[][]; dtypes: tf.DataType[] };
  /** Floats: atol and rtol (default 1e-5, 1e-4). Integer outputs always compare exactly. */
  tolerance?: [number, number];
}

const ints = (rand: Rand, n: number, lo: number, hi: number): number[] =>
  Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo)));
const floats = (rand: Rand, n: number, scale = 1): number[] => Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
const intTensor = (rand: Rand, shape: number[], lo: number, hi: number): tf.Tensor =>
  tf.tensor(ints(rand, shape.reduce((a, b) => a * b, 1), lo, hi), shape, 'int32');
const floatTensor = (rand: Rand, shape: number[], scale = 1): tf.Tensor =>
  tf.tensor(floats(rand, shape.reduce((a, b) => a * b, 1), scale), shape, 'float32');
/** 0 … n−1 in an order drawn from `rand` (Fisher–Yates). */
function shuffled(rand: Rand, n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A (B, T) padding mask as the layers build it: token ids, 0 = padding, compared with 0. */
const keepMask = (rand: Rand, b: number, t: number): tf.Tensor =>
  tf.cast(tf.notEqual(intTensor(rand, [b, t], 0, 3), 0), 'float32');

function bincountReference(ids: number[], rows: number, size: number, weights: number[] | null, binary: boolean) {
  const cols = ids.length / rows;
  const out = new Array<number>(rows * size).fill(0);
  ids.forEach((v, i) => {
    if (v < 0 || v >= size) return;
    const at = Math.floor(i / cols) * size + v;
    out[at] = binary ? 1 : out[at] + (weights ? weights[i] : 1);
  });
  return out;
}

const CASES: Case[] = [
  // AddN: AdamW's global norm sums one squared norm per variable (52 for Mini GPT).
  ...[8, 20, 52].map<Case>((n) => ({
    name: `addN of ${n} scalars and of ${n} (69, 128) tensors, with gradients`,
    kernel: 'AddN',
    run: (rand) => {
      const scalars = Array.from({ length: n }, () => tf.scalar(rand()));
      const mats = Array.from({ length: n }, () => floatTensor(rand, [69, 128]));
      const w = floatTensor(rand, [69, 128]);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tf.addN(xs), w)))(mats.slice(0, 9));
      return [tf.addN(scalars), tf.addN(mats), ...grads];
    },
  })),
  // Cast int32/bool → float32 shared the i32 buffer; MaskedMeanPool then sums the (B, T, 1) mask over T.
  {
    name: 'masked mean pool: sum of a cast (B, T, 1) mask over T, and its gradient',
    kernel: 'Cast',
    run: (rand) => {
      const mask = tf.expandDims(keepMask(rand, 4, 64), -1); // (B, T, 1)
      const x = floatTensor(rand, [4, 64, 32]);
      const pool = (v: tf.Tensor) => tf.div(tf.sum(tf.mul(v, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
      const r = floatTensor(rand, [4, 32]);
      return [tf.sum(mask, 1), pool(x), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(pool(v), r)))(x)];
    },
  },
  {
    name: 'cast int32 and bool to float32, then transposed (rank 3)',
    kernel: 'Cast',
    run: (rand) => {
      const ids = intTensor(rand, [6, 20, 12], -50, 50);
      return [tf.transpose(tf.cast(ids, 'float32'), [0, 2, 1]), tf.transpose(tf.cast(tf.greater(ids, 0), 'float32'), [2, 1, 0])];
    },
  },
  // Transpose of an i32 buffer (tensorflow/tfjs#8638).
  {
    name: 'transpose int32 rank 3 and 4, bool rank 3',
    kernel: 'Transpose',
    run: (rand) => {
      const a = intTensor(rand, [10, 20, 10], -1000, 1000);
      const b = intTensor(rand, [4, 10, 6, 10], -1000, 1000);
      return [tf.transpose(a, [2, 0, 1]), tf.transpose(b, [0, 2, 1, 3]), tf.transpose(tf.greater(a, 0), [1, 0, 2])];
    },
  },
  {
    name: 'transpose of a one-hot (int32) with rank 3',
    kernel: 'Transpose',
    run: (rand) => [tf.transpose(tf.oneHot(intTensor(rand, [8, 64], 0, 70), 70), [0, 2, 1])],
  },
  // Reductions over a non-innermost axis transpose internally.
  {
    name: 'sum, prod, max, min, mean and cumsum of int32 rank 3 over axis 1',
    kernel: 'Sum',
    run: (rand) => {
      const x = intTensor(rand, [10, 20, 10], -100, 100);
      const small = intTensor(rand, [10, 4, 10], 1, 4);
      return [tf.sum(x, 1), tf.sum(tf.greater(x, 0), 0), tf.prod(small, 1), tf.max(x, 1), tf.min(x, 0), tf.mean(x, 1), tf.cumsum(x, 1)];
    },
  },
  {
    name: 'argMax and argMin of int32 rank 3 over axis 1 (distinct values)',
    kernel: 'ArgMax',
    run: (rand) => {
      const perm = tf.tensor(shuffled(rand, 2000), [10, 20, 10], 'int32'); // no ties
      return [tf.argMax(perm, 1), tf.argMin(perm, 1)];
    },
  },
  {
    name: 'argMax and argMin of a vector are scalars',
    kernel: 'ArgMax',
    run: (rand) => {
      const v = tf.tensor1d(floats(rand, 2000)); // continuous: no ties
      return [tf.argMax(v), tf.argMin(v)];
    },
  },
  // UnsortedSegmentSum: int32 x added the bits of f32 values; float x (the Embedding gradient) needs no patch.
  {
    name: 'unsortedSegmentSum of int32 x, rank 2 and 3',
    kernel: 'UnsortedSegmentSum',
    run: (rand) => {
      const ids = tf.tensor1d(ints(rand, 300, 0, 50), 'int32');
      return [
        tf.unsortedSegmentSum(intTensor(rand, [300, 10], -100, 100), ids, 50),
        tf.unsortedSegmentSum(intTensor(rand, [300, 4, 5], -100, 100), ids, 50),
      ];
    },
  },
  {
    name: 'embedding gradient: gather then unsortedSegmentSum of float32',
    kernel: 'stock',
    run: (rand) => {
      const table = floatTensor(rand, [69, 64]);
      const ids = intTensor(rand, [8, 64], 0, 69);
      const r = floatTensor(rand, [8, 64, 64]);
      return [tf.gather(table, ids), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), r)))(table)];
    },
    tolerance: [1e-4, 1e-4], // atomic float adds in any order
  },
  // DenseBincount: BagOfWords counts (B, T) ids into (B, V).
  ...[
    { rows: 16, cols: 100, size: 5009, hi: 5009, weighted: false, binary: false },
    { rows: 20, cols: 100, size: 60, hi: 80, weighted: false, binary: false },
    { rows: 20, cols: 100, size: 60, hi: 60, weighted: true, binary: false },
    { rows: 20, cols: 100, size: 60, hi: 60, weighted: false, binary: true },
    { rows: 1, cols: 2000, size: 60, hi: 60, weighted: false, binary: true, vector: true },
    { rows: 1, cols: 2000, size: 60, hi: 60, weighted: true, binary: false, vector: true },
  ].map<Case>((o) => {
    const inputs = (rand: Rand) => {
      const ids = ints(rand, o.rows * o.cols, 0, o.hi);
      return { ids, weights: o.weighted ? floats(rand, ids.length) : null };
    };
    const shape = 'vector' in o ? [o.cols] : [o.rows, o.cols];
    const outShape = 'vector' in o ? [o.size] : [o.rows, o.size];
    return {
      name: `denseBincount ${shape.length}-D (${shape.join(', ')}) into ${o.size} bins${o.weighted ? ', weighted' : ''}${o.binary ? ', binary' : ''}${o.hi > o.size ? ', some ids ≥ size' : ''}`,
      kernel: 'DenseBincount',
      run: (rand) => {
        const { ids, weights } = inputs(rand);
        const w = weights ? tf.tensor(weights, shape) : tf.tensor([], [0]);
        const x = tf.tensor(ids, shape, 'int32');
        return [tf.denseBincount(x as tf.Tensor1D, w as tf.Tensor1D, o.size, o.binary)]; // 1-D or 2-D: tf.js types only the first
      },
      expected: (rand) => {
        const { ids, weights } = inputs(rand);
        return { values: [bincountReference(ids, o.rows, o.size, weights, o.binary)], shapes: [outShape], dtypes: ['float32'] };
      },
    };
  }),
  // The loss and the metrics: one-hot targets, argMax, equal, casts (no patch needed, kept as regressions).
  {
    name: 'maskedCrossEntropy (one-hot targets) and its gradient; evalSums (argMax, equal)',
    kernel: 'stock',
    run: (rand) => {
      const logits = floatTensor(rand, [12, 64, 69], 3);
      const targets = intTensor(rand, [12, 64], 0, 69);
      const weights = tf.cast(tf.notEqual(intTensor(rand, [12, 64], 0, 5), 0), 'float32');
      const loss = (l: tf.Tensor) => maskedCrossEntropy(l, targets, weights);
      return [loss(logits), tf.grad(loss)(logits), evalSums(logits, targets, weights)];
    },
  },
];

const DEFAULT_TOLERANCE: [number, number] = [1e-5, 1e-4];

interface Outputs {
  values: number[][];
  shapes: number[][];
  dtypes: tf.DataType[];
}

async function outputsOn(backend: string, c: Case, seed: number): Promise<Outputs> {
  if (!(await tf.setBackend(backend))) throw new Error(`The ${backend} backend did not start.`);
  await tf.ready();
  const outs = tf.tidy(() => c.run(mulberry32(seed)));
  try {
    const values = await Promise.all(outs.map(async (t) => Array.from(await t.data(), Number)));
    return { values, shapes: outs.map((t) => t.shape), dtypes: outs.map((t) => t.dtype) };
  } finally {
    tf.dispose(outs);
  }
}

function compare(c: Case, got: Outputs, want: Outputs): Omit<CaseResult, 'name' | 'kernel'> {
  const problems: string[] = [];
  let worst = 0;
  let maxAbsDiff = 0;
  const [atol, rtol] = c.tolerance ?? DEFAULT_TOLERANCE;
  want.values.forEach((ref, i) => {
    const shape = got.shapes[i];
    if (JSON.stringify(shape) !== JSON.stringify(want.shapes[i]))
      problems.push(`output ${i}: shape [${shape}] instead of [${want.shapes[i]}]`);
    if (got.dtypes[i] !== want.dtypes[i]) problems.push(`output ${i}: dtype ${got.dtypes[i]} instead of ${want.dtypes[i]}`);
    const exact = want.dtypes[i] !== 'float32';
    ref.forEach((r, j) => {
      const diff = Math.abs((got.values[i]?.[j] ?? NaN) - r);
      const bad = Number.isNaN(diff) ? Infinity : exact ? (diff === 0 ? 0 : Infinity) : diff / (atol + rtol * Math.abs(r));
      worst = Math.max(worst, bad);
      maxAbsDiff = Math.max(maxAbsDiff, Number.isNaN(diff) ? Infinity : diff);
    });
  });
  return { worst, maxAbsDiff, problems };
}

async function runCases(seed: number, gpuErrors: string[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of CASES) {
    try {
      const want = c.expected ? c.expected(mulberry32(seed)) : await outputsOn('cpu', c, seed);
      const got = await outputsOn('webgpu', c, seed);
      const { worst, maxAbsDiff, problems } = compare(c, got, want);
      results.push({ name: c.name, kernel: c.kernel, worst, maxAbsDiff, problems: [...problems, ...gpuErrors.splice(0)] });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      results.push({ name: c.name, kernel: c.kernel, worst: Infinity, maxAbsDiff: Infinity, problems: [message, ...gpuErrors.splice(0)] });
    }
  }
  return results;
}

async function adapterName(): Promise<string | null> {
  const adapter = await navigator.gpu?.requestAdapter();
  return adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() || 'unnamed adapter' : null;
}

/** Runs every case on the patched kernels, then on the stock ones. */
async function run(seed = 1): Promise<KernelRun> {
  const adapter = await adapterName();
  if (adapter === null) return { adapter, patched: [], stock: [] };
  if (!(await tf.setBackend('webgpu'))) throw new Error('The webgpu backend did not start though an adapter exists.');
  await tf.ready();
  tf.env().set('WEBGPU_CPU_FORWARD', false); // small tensors would otherwise be computed on the CPU
  const gpuErrors: string[] = [];
  const device: unknown = Reflect.get(tf.backend(), 'device');
  if (!(device instanceof GPUDevice)) throw new Error('The webgpu backend has no GPUDevice.');
  device.addEventListener('uncapturederror', (e) => {
    if (e instanceof GPUUncapturedErrorEvent) gpuErrors.push(e.error.message.split('\n')[0]);
  });
  registerWordloomKernels('cpu');
  registerWordloomKernels('webgpu');
  const patched = await runCases(seed, gpuErrors);
  unregisterWordloomKernels('webgpu');
  const stock = await runCases(seed, gpuErrors);
  registerWordloomKernels('webgpu');
  return { adapter, patched, stock };
}

declare global {
  interface Window {
    __webgpuKernels?: { run: typeof run };
  }
}
window.__webgpuKernels = { run };
