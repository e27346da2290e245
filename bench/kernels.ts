/**
 * Stock vs Wordloom kernels on tf.js's cpu and wasm backends: `npx tsx bench/kernels.ts [--full]`.
 * Prints GFLOP/s for wasm matmuls (each transpose-flag combination, batched attention products) and the
 * milliseconds of the embedding gradient (UnsortedSegmentSum) for a 10k × 64 table.
 * Stock cpu segment-sum at 10k segments takes minutes, so without --full it runs 250 segments and scales
 * linearly (its cost is one masked pass over the gradient per segment).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWordloomKernels, unregisterWordloomKernels } from '../core/kernels';

interface Row {
  case: string;
  stock: string;
  patched: string;
  speedup: string;
}

const full = process.argv.includes('--full');
const rows: Row[] = [];

/**
 * Best-of-`reps` milliseconds of `run` (its result disposed), after warm-up calls. The minimum, not the median:
 * on a shared 2-core machine other processes only ever add time.
 */
function bestMs(run: () => tf.Tensor, reps: number): number {
  for (let i = 0; i < Math.min(reps, 3); i++) tf.dispose(run());
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const out = run(); // cpu and wasm kernels run synchronously inside the op call
    times.push(performance.now() - start);
    out.dispose();
  }
  return Math.min(...times);
}

/** Times `run` with the stock kernels of `backend`, then with ours. */
function stockVsPatched(backend: string, run: () => tf.Tensor, reps: number): [number, number] {
  unregisterWordloomKernels(backend);
  const stock = bestMs(run, reps);
  registerWordloomKernels(backend);
  return [stock, bestMs(run, reps)];
}

async function benchMatMuls(): Promise<void> {
  await tf.setBackend('wasm');
  const cases: { name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { name: '[768×128]·[128×512]', a: [768, 128], b: [128, 512], transposeA: false, transposeB: false },
    { name: '[768×128]·[128×512] transposeA', a: [128, 768], b: [128, 512], transposeA: true, transposeB: false },
    { name: '[768×128]·[128×512] transposeB', a: [768, 128], b: [512, 128], transposeA: false, transposeB: true },
    { name: '[768×128]·[128×512] both', a: [128, 768], b: [512, 128], transposeA: true, transposeB: true },
    { name: 'scores [48,64,32]·[48,32,64]', a: [48, 64, 32], b: [48, 32, 64], transposeA: false, transposeB: false },
    {
      name: 'scores Q·Kᵀ [48,64,32]·[48,64,32]ᵀ',
      a: [48, 64, 32],
      b: [48, 64, 32],
      transposeA: false,
      transposeB: true,
    },
    { name: 'context [48,64,64]·[48,64,32]', a: [48, 64, 64], b: [48, 64, 32], transposeA: false, transposeB: false },
    {
      name: 'grad Pᵀ·dY [48,64,64]ᵀ·[48,64,32]',
      a: [48, 64, 64],
      b: [48, 64, 32],
      transposeA: true,
      transposeB: false,
    },
    {
      name: 'tiny entries [512,1,16]·[512,16,32]',
      a: [512, 1, 16],
      b: [512, 16, 32],
      transposeA: false,
      transposeB: false,
    },
    { name: 'dense 3-D [8,128,128]·[128,512]', a: [8, 128, 128], b: [128, 512], transposeA: false, transposeB: false },
  ];
  for (const c of cases) {
    const a = tf.randomNormal(c.a);
    const b = tf.randomNormal(c.b);
    const out = tf.matMul(a, b, c.transposeA, c.transposeB);
    const inner = c.transposeA ? c.a[c.a.length - 2] : c.a[c.a.length - 1];
    const flop = 2 * out.size * inner;
    out.dispose();
    const [stock, patched] = stockVsPatched('wasm', () => tf.matMul(a, b, c.transposeA, c.transposeB), 30);
    const gflops = (ms: number) => `${(flop / ms / 1e6).toFixed(1)} GFLOP/s`;
    rows.push({
      case: `wasm matMul ${c.name}`,
      stock: gflops(stock),
      patched: gflops(patched),
      speedup: `${(stock / patched).toFixed(1)}×`,
    });
    tf.dispose([a, b]);
  }
}

/** Gradient of gather for a (vocabSize, 64) table looked up by batchSize × seqLen = 32 × 64 ids. */
async function benchSegmentSum(backend: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(backend);
  const vocabSize = 10_000;
  const dy = tf.randomNormal([32 * 64, 64]); // (B·T, D)
  const ids = tf.randomUniform([32 * 64], 0, vocabSize, 'int32').as1D();
  const label = `${backend} segment-sum ${vocabSize / 1000}k×64 (2048 ids)`;
  registerWordloomKernels(backend);
  const patched = bestMs(() => tf.unsortedSegmentSum(dy, ids, vocabSize), 30);
  let stock = 'not registered';
  let ratio = '—';
  unregisterWordloomKernels(backend);
  if (backend === 'cpu') {
    const segments = full ? vocabSize : 250;
    const ms = bestMs(() => tf.unsortedSegmentSum(dy, ids, segments), 1) * (vocabSize / segments);
    stock = `${(ms / 1000).toFixed(1)} s${full ? '' : ' (scaled from 250)'}`;
    ratio = `${Math.round(ms / patched)}×`;
  }
  registerWordloomKernels(backend);
  rows.push({ case: label, stock, patched: `${patched.toFixed(2)} ms`, speedup: ratio });
  tf.dispose([dy, ids]);
}

await benchMatMuls();
await benchSegmentSum('wasm');
await benchSegmentSum('cpu');
console.log(
  `tf.js ${tf.version.tfjs}; wasm SIMD ${String(tf.env().getBool('WASM_HAS_SIMD_SUPPORT'))}, threads ${String(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))}`,
);
console.table(rows);
