import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord } from './backend-access';
import { hasKernels, runFloatKernel, type OwnKernel } from './float-kernel';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';
import { ownWasmKernels } from './own-wasm';

/**
 * LayerNorm as one kernel call each way on cpu and wasm, for core/layers/fused-norm.ts: composed from tf.js ops,
 * one LayerNorm is ~9 kernels forward and ~13 backward (Mini GPT: 9 per step), each a pass over a (B·T, D) array
 * and a dispatch. On wasm both run on our SIMD kernels (own-kernels.wat layer_norm, layer_norm_grad) where they
 * start, ~10× faster than the JS loops below (0.8 → 0.1 ms forward on (12, 64, 128)), which remain for cpu. GELU stays composed: a JS erf measured 23 ms a call on Mini GPT's (12, 64, 512) activations,
 * where the wasm backend's Erf kernel takes ~3 ms.
 *
 * WordloomLayerNorm — x (…, D), gamma and beta (D); attr epsilon. Outputs y = x̂·γ + β, x̂ = (x − mean)·rstd
 *   (both x's shape) and rstd = 1/√(var + ε) (…, 1), mean and biased variance over the last axis.
 * WordloomLayerNormGrad — dy, x̂ (…, D), rstd (…, 1), gamma (D). Outputs dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
 *   with g = dy·γ, dγ = Σ dy·x̂ and dβ = Σ dy over every row.
 */
export const LAYER_NORM_KERNEL = 'WordloomLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'WordloomLayerNormGrad';

type Floats = Float32Array;

/** Rows and width of an (…, D) float32 input; γ-like inputs must be (D). */
function rowsOf(args: KernelArgs, kernel: string, wide: string[], perColumn: string[]): { rows: number; dim: number } {
  const x = kernelInput(args, wide[0]);
  const dim = x.shape[x.shape.length - 1];
  const ok =
    dim !== undefined &&
    wide.every((n) => {
      const t = kernelInput(args, n);
      return t.dtype === 'float32' && t.shape.join() === x.shape.join();
    }) &&
    perColumn.every((n) => {
      const t = kernelInput(args, n);
      return t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === dim;
    });
  if (!ok) throw new Error(`${kernel}: inputs need one float32 shape (…, D) and per-column vectors of length D.`);
  return { rows: sizeOf(x.shape) / dim, dim };
}

function epsilonOf(args: KernelArgs): number {
  const e = args.attrs?.['epsilon'];
  if (typeof e !== 'number' || !(e >= 0)) throw new Error(`${LAYER_NORM_KERNEL}: epsilon must be a number ≥ 0.`);
  return e;
}

function normForward(
  x: Floats,
  g: Floats,
  b: Floats,
  y: Floats,
  xhat: Floats,
  rstd: Floats,
  rows: number,
  dim: number,
  eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += x[o + j];
    const mean = sum / dim;
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += (x[o + j] - mean) ** 2;
    const rs = 1 / Math.sqrt(sq / dim + eps);
    rstd[r] = rs;
    for (let j = 0; j < dim; j++) {
      const h = (x[o + j] - mean) * rs;
      xhat[o + j] = h;
      y[o + j] = h * g[j] + b[j];
    }
  }
}

function normBackward(
  dy: Floats,
  xhat: Floats,
  rstd: Floats,
  g: Floats,
  out: { dx: Floats; dg: Floats; db: Floats },
  rows: number,
  dim: number,
): void {
  const { dx, dg, db } = out;
  const sumG = new Float64Array(dim);
  const sumB = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < dim; j++) {
      const d = dy[o + j];
      const gx = d * g[j];
      m1 += gx;
      m2 += gx * xhat[o + j];
      sumG[j] += d * xhat[o + j];
      sumB[j] += d;
    }
    m1 /= dim;
    m2 /= dim;
    const rs = rstd[r];
    for (let j = 0; j < dim; j++) dx[o + j] = rs * (dy[o + j] * g[j] - m1 - xhat[o + j] * m2);
  }
  dg.set(sumG);
  db.set(sumB);
}

/** Our wasm kernel where it runs: outputs in `shapes` allocated on the heap, `call` given their byte offsets. */
function onOwnWasm(
  args: KernelArgs,
  inputs: tf.TensorInfo[],
  shapes: number[][],
  call: (own: NonNullable<ReturnType<typeof ownWasmKernels>>, at: number[]) => void,
): tf.TensorInfo[] | undefined {
  const { backend } = args;
  if (!isWasmBackend(backend)) return undefined;
  const own = ownWasmKernels(backend);
  if (own === undefined) return undefined;
  const outs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
  call(
    own,
    [...inputs, ...outs].map((t) => wasmRecord(backend, t).memoryOffset),
  );
  return outs;
}

export function layerNormKernel(args: KernelArgs): tf.TensorInfo[] {
  const { rows, dim } = rowsOf(args, LAYER_NORM_KERNEL, ['x'], ['gamma', 'beta']);
  const x = kernelInput(args, 'x');
  const eps = epsilonOf(args);
  const inputs = [x, kernelInput(args, 'gamma'), kernelInput(args, 'beta')];
  const shapes = [x.shape, x.shape, [...x.shape.slice(0, -1), 1]];
  const viaWasm = onOwnWasm(args, inputs, shapes, (own, [xs, g, b, y, xhat, rstd]) =>
    own.layer_norm(xs, g, b, y, xhat, rstd, rows, dim, eps),
  );
  if (viaWasm) return viaWasm;
  return runFloatKernel(
    args,
    LAYER_NORM_KERNEL,
    [x, kernelInput(args, 'gamma'), kernelInput(args, 'beta')],
    [x.shape, x.shape, [...x.shape.slice(0, -1), 1]],
    ([xs, g, b], [y, xhat, rstd]) => normForward(xs, g, b, y, xhat, rstd, rows, dim, eps),
  );
}

export function layerNormGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { rows, dim } = rowsOf(args, LAYER_NORM_GRAD_KERNEL, ['dy', 'xhat'], ['gamma']);
  const dy = kernelInput(args, 'dy');
  const rstd = kernelInput(args, 'rstd');
  if (sizeOf(rstd.shape) !== rows) throw new Error(`${LAYER_NORM_GRAD_KERNEL}: rstd needs one value per row.`);
  const inputs = [dy, kernelInput(args, 'xhat'), rstd, kernelInput(args, 'gamma')];
  const viaWasm = onOwnWasm(args, inputs, [dy.shape, [dim], [dim]], (own, [d, xhat, rs, g, dx, dg, db]) =>
    own.layer_norm_grad(d, xhat, rs, g, dx, dg, db, rows, dim),
  );
  if (viaWasm) return viaWasm;
  return runFloatKernel(
    args,
    LAYER_NORM_GRAD_KERNEL,
    [dy, kernelInput(args, 'xhat'), rstd, kernelInput(args, 'gamma')],
    [dy.shape, [dim], [dim]],
    ([d, xhat, rs, g], [dx, dg, db]) => normBackward(d, xhat, rs, g, { dx, dg, db }, rows, dim),
  );
}

/** The two kernels, for registration (core/kernels/index.ts, and the exported runtime). */
export const NORM_KERNELS: OwnKernel[] = [
  [LAYER_NORM_KERNEL, layerNormKernel],
  [LAYER_NORM_GRAD_KERNEL, layerNormGradKernel],
];

/** Whether the current backend has these kernels (cpu and wasm once Wordloom's kernels are registered). */
export const hasLayerNormKernels = (): boolean => hasKernels(NORM_KERNELS);

function run(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** [y, x̂, rstd]. */
export const layerNormKernelOp = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] =>
  run(LAYER_NORM_KERNEL, { x, gamma, beta }, { epsilon });
/** [dx, dγ, dβ]. */
export const layerNormGradOp = (dy: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor, gamma: tf.Tensor): tf.Tensor[] =>
  run(LAYER_NORM_GRAD_KERNEL, { dy, xhat, rstd, gamma });
