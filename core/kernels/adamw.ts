import * as tf from '@tensorflow/tfjs';
import { isSyncBackend, isWasmBackend, wasmRecord, type SyncBackend, type WasmBackend } from './backend-access';
import { sizeOf, type KernelArgs } from './kernel-args';
import { mapSplit } from './own-gemm-threads';
import { ownWasmHeap, ownWasmKernels } from './own-wasm';

/**
 * One AdamW step over every parameter in one kernel call, with global-norm clipping: what core/train/optimizer.ts
 * otherwise composes from ~14 tf.js ops per variable (Mini GPT: 52 variables, ~730 kernel calls a step, each paying
 * dispatch). Registered for cpu and wasm, where a JS loop over the (heap) arrays is a single memory pass.
 *
 * Inputs p0, g0, m0, v0, p1, … (parameter, gradient, first and second moments, float32, equal shapes);
 * attrs: count, lr, beta1, beta2, epsilon, weightDecay, gradClip, bias1 = 1 − β1ᵗ, bias2 = 1 − β2ᵗ and decay (a 0/1
 * per parameter: decoupled weight decay applies to matrices only). Outputs: [norm (scalar, before clipping),
 * p0', m0', v0', p1', …]. The math is the op-by-op one: g ← g·min(1, clip/(‖g‖ + 1e-6)); m ← β1·m + (1 − β1)·g;
 * v ← β2·v + (1 − β2)·g²; p ← p·(1 − lr·wd) − lr·(m/bias1)/(√(v/bias2) + ε).
 */
export const ADAMW_KERNEL = 'WordloomAdamW';

export interface AdamWAttrs {
  count: number;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  gradClip: number;
  bias1: number;
  bias2: number;
  decay: number[];
}

type Floats = Float32Array;

function attrsOf(args: KernelArgs): AdamWAttrs {
  const a = args.attrs as unknown as AdamWAttrs | undefined;
  if (a === undefined || !Number.isInteger(a.count) || !Array.isArray(a.decay) || a.decay.length !== a.count)
    throw new Error(`${ADAMW_KERNEL}: attributes are missing or inconsistent.`);
  return a;
}

function inputsOf(args: KernelArgs, count: number): tf.TensorInfo[][] {
  const groups: tf.TensorInfo[][] = [];
  for (let i = 0; i < count; i++) {
    const group = ['p', 'g', 'm', 'v'].map((k) => args.inputs[`${k}${i}`]);
    if (group.some((t) => t === undefined || t.dtype !== 'float32'))
      throw new Error(`${ADAMW_KERNEL}: input group ${i} is missing or not float32.`);
    const [p, ...rest] = group as tf.TensorInfo[];
    if (rest.some((t) => sizeOf(t.shape) !== sizeOf(p.shape)))
      throw new Error(`${ADAMW_KERNEL}: input group ${i} has mismatched sizes.`);
    groups.push(group as tf.TensorInfo[]);
  }
  return groups;
}

/** One parameter's update, arrays passed as arguments so V8 keeps the loop monomorphic (2× faster than a closure). */
/** The constants of one parameter's update (see `update`). */
interface StepConstants {
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  step: number;
  invBias2: number;
  epsilon: number;
  keep: number;
}

/** One parameter's arrays, through JS loops or our SIMD kernels: its gradient's Σg², and its update. */
interface Group {
  sumSq(): number;
  step(k: StepConstants): void;
}

function updateOne(p: Floats, g: Floats, m: Floats, v: Floats, p2: Floats, m2: Floats, v2: Floats, k: StepConstants) {
  const { beta1, beta2, c1, c2, step, invBias2, epsilon, keep } = k;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    const gj = g[j];
    const mj = beta1 * m[j] + c1 * gj; // c1 = (1 − β1)·scale
    const vj = beta2 * v[j] + c2 * gj * gj; // c2 = (1 − β2)·scale²
    m2[j] = mj;
    v2[j] = vj;
    p2[j] = p[j] * keep - (step * mj) / (Math.sqrt(vj * invBias2) + epsilon); // step = lr / bias1
  }
}

const jsGroup = (x: { p: Floats; g: Floats; m: Floats; v: Floats; p2: Floats; m2: Floats; v2: Floats }): Group => ({
  sumSq: () => sumOfSquares(x.g),
  step: (k) => updateOne(x.p, x.g, x.m, x.v, x.p2, x.m2, x.v2, k),
});

/** Clips by the global norm of every gradient, then steps each parameter; returns the norm before clipping. */
function update(a: AdamWAttrs, groups: Group[]): number {
  let sumSq = 0;
  for (const group of groups) sumSq += group.sumSq();
  const norm = Math.fround(Math.sqrt(sumSq));
  const scale = a.gradClip > 0 ? Math.min(1, a.gradClip / (norm + 1e-6)) : 1;
  const shared = {
    beta1: a.beta1,
    beta2: a.beta2,
    c1: (1 - a.beta1) * scale,
    c2: (1 - a.beta2) * scale * scale,
    step: a.lr / a.bias1,
    invBias2: 1 / a.bias2,
    epsilon: a.epsilon,
  };
  groups.forEach((group, i) => {
    const keep = a.decay[i] === 1 && a.weightDecay > 0 ? 1 - a.lr * a.weightDecay : 1;
    group.step({ ...shared, keep });
  });
  return norm;
}

function sumOfSquares(g: Floats): number {
  let s = 0;
  for (let j = 0; j < g.length; j++) s += g[j] * g[j];
  return s;
}

function floats(values: unknown, what: string): Floats {
  if (values instanceof Float32Array) return values;
  throw new Error(`${ADAMW_KERNEL}: ${what} is not float32 data.`);
}

function runWasm(backend: WasmBackend, a: AdamWAttrs, groups: tf.TensorInfo[][]): tf.TensorInfo[] {
  const normInfo = backend.makeOutput([], 'float32');
  const outs = groups.map(([p]) => [0, 1, 2].map(() => backend.makeOutput(p.shape, 'float32')));
  const own = ownWasmKernels(backend);
  let work: Group[];
  if (own) {
    // In place on the heap with SIMD: pointers are the tensors' byte offsets (stable while the heap grows).
    const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
    const heap = ownWasmHeap(backend); // big groups are shared with our GEMM's helper threads
    work = groups.map(([p, g, m, v], i) => {
      const n = sizeOf(p.shape);
      const [p2, m2, v2] = outs[i].map(at);
      return {
        sumSq: () => own.sumsq(at(g), n),
        step: (k) =>
          mapSplit(own, heap, 'adamw', [at(p), at(g), at(m), at(v), p2, m2, v2], n, [
            k.beta1,
            k.beta2,
            k.c1,
            k.c2,
            k.step,
            k.invBias2,
            k.epsilon,
            k.keep,
          ]),
      };
    });
  } else {
    // Views only after every allocation: growing the heap detaches earlier ones.
    const view = (t: tf.TensorInfo, what: string): Floats => floats(backend.typedArrayFromHeap(t), what);
    work = groups.map(([p, g, m, v], i) =>
      jsGroup({
        p: view(p, 'p'),
        g: view(g, 'g'),
        m: view(m, 'm'),
        v: view(v, 'v'),
        p2: view(outs[i][0], 'out'),
        m2: view(outs[i][1], 'out'),
        v2: view(outs[i][2], 'out'),
      }),
    );
  }
  const norm = update(a, work);
  floats(backend.typedArrayFromHeap(normInfo), 'norm')[0] = norm;
  return [normInfo, ...outs.flat()];
}

function runSync(backend: SyncBackend, a: AdamWAttrs, groups: tf.TensorInfo[][]): tf.TensorInfo[] {
  const read = (t: tf.TensorInfo, what: string): Floats => floats(backend.readSync(t.dataId), what);
  const arrays = groups.map(([p, g, m, v]) => {
    const n = sizeOf(p.shape);
    return {
      p: read(p, 'p'),
      g: read(g, 'g'),
      m: read(m, 'm'),
      v: read(v, 'v'),
      p2: new Float32Array(n),
      m2: new Float32Array(n),
      v2: new Float32Array(n),
    };
  });
  const norm = update(a, arrays.map(jsGroup));
  const write = (values: Floats, shape: number[]): tf.TensorInfo => ({
    dataId: backend.write(values, shape, 'float32'),
    shape,
    dtype: 'float32',
  });
  return [
    write(Float32Array.of(norm), []),
    ...arrays.flatMap(({ p2, m2, v2 }, i) => [p2, m2, v2].map((values) => write(values, groups[i][0].shape))),
  ];
}

/** The kernel function registered for WordloomAdamW on cpu and wasm. */
export function adamWKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = attrsOf(args);
  const groups = inputsOf(args, a.count);
  const { backend } = args;
  if (isWasmBackend(backend)) return runWasm(backend, a, groups);
  if (isSyncBackend(backend)) return runSync(backend, a, groups);
  throw new Error(`${ADAMW_KERNEL} needs a backend that can read tensors synchronously.`);
}

/** Whether the current backend has the fused AdamW kernel (cpu and wasm once Wordloom's kernels are registered). */
export function hasFusedAdamW(): boolean {
  const found: tf.KernelConfig | undefined = tf.getKernel(ADAMW_KERNEL, tf.getBackend());
  return found !== undefined;
}

/** Runs the fused kernel: returns the norm and the new values per parameter (all owned by the caller / tidy). */
export function fusedAdamW(
  params: { p: tf.Tensor; g: tf.Tensor; m: tf.Tensor; v: tf.Tensor }[],
  attrs: Omit<AdamWAttrs, 'count'>,
): { norm: tf.Scalar; next: { p: tf.Tensor; m: tf.Tensor; v: tf.Tensor }[] } {
  const inputs: tf.NamedTensorMap = {};
  params.forEach(({ p, g, m, v }, i) => {
    inputs[`p${i}`] = p;
    inputs[`g${i}`] = g;
    inputs[`m${i}`] = m;
    inputs[`v${i}`] = v;
  });
  const full: AdamWAttrs = { ...attrs, count: params.length };
  const out = tf.engine().runKernel(ADAMW_KERNEL, inputs, full as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const [norm, ...rest] = out;
  const next = params.map((_, i) => ({ p: rest[3 * i], m: rest[3 * i + 1], v: rest[3 * i + 2] }));
  return { norm: norm as tf.Scalar, next };
}
