import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord, type WasmBackend } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { expectFloat32, kernelInput, type KernelArgs } from './kernel-args';
import { ownKernelsOf, ownWasmKernels, type OwnWasmKernels } from './own-wasm';

/**
 * The training loss as one kernel call each way on wasm: the weighted mean softmax cross-entropy straight from
 * the logits, with no one-hot and no softmax tensor. Composed from tf.js ops (core/train/loss.ts, kept for the
 * other backends and as the reference) it is ~12 kernels forward and ~15 backward, two of them an Exp over all
 * (N, K) logits on tf.js' scalar loop; here e^x runs on our SIMD kernels (own-kernels.wat: row_max, row_exp).
 *
 * WordloomSoftmaxCrossEntropy — logits (N, K) float32, targets (N) int32, weights (N) float32. Outputs the loss
 *   Σ w_i·ce_i / max(Σ w_i, 1) (a scalar), ce_i = lse_i − logits[i, t_i] with lse_i = log Σ_j e^logits[i, j], and
 *   lse (N). A target outside [0, K) (an unlabelled position) has ce 0, as the one-hot form gives.
 * WordloomSoftmaxCrossEntropyGrad — dy (scalar), logits, targets, weights, lse. Outputs dlogits (N, K) =
 *   dy·w_i / max(Σ w, 1)·(softmax_ij − [j = t_i]), 0 for a row whose target is outside [0, K).
 */
export const XENT_KERNEL = 'WordloomSoftmaxCrossEntropy';
export const XENT_GRAD_KERNEL = 'WordloomSoftmaxCrossEntropyGrad';

interface Rows {
  backend: WasmBackend;
  own: OwnWasmKernels;
  n: number;
  k: number;
}

function rowsOf(args: KernelArgs, kernel: string): Rows {
  const { backend, own } = ownKernelsOf(args.backend, kernel);
  const logits = kernelInput(args, 'logits');
  const [n, k] = logits.shape;
  expectFloat32(logits, [n, k], 'logits', kernel);
  const targets = kernelInput(args, 'targets');
  expectFloat32(kernelInput(args, 'weights'), [n], 'weights', kernel);
  if (targets.dtype !== 'int32' || targets.shape.join() !== String(n))
    throw new Error(`${kernel}: targets must be int32 [${n}], got ${targets.dtype} [${targets.shape}].`);
  return { backend, own, n, k };
}

/** The inputs' data on the heap, viewed after every output is made (making one may grow the heap). */
function views(args: KernelArgs, backend: WasmBackend) {
  const [x, targets, weights] = ['logits', 'targets', 'weights'].map((name) =>
    backend.typedArrayFromHeap(kernelInput(args, name)),
  );
  return { x: x as Float32Array, targets: targets as Int32Array, weights: weights as Float32Array };
}

/** The weights' sum floored at 1, as core/train/loss.ts' maskedCrossEntropy divides by. */
function weightTotal(weights: Float32Array): number {
  let total = 0;
  for (const w of weights) total += w;
  return Math.max(total, 1);
}

const ptr = (backend: WasmBackend, t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;

function forwardKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own, n, k } = rowsOf(args, XENT_KERNEL);
  const loss = backend.makeOutput([], 'float32');
  const lse = backend.makeOutput([n], 'float32');
  const sums = backend.makeOutput([n], 'float32');
  try {
    const { x, targets, weights } = views(args, backend);
    const [pl, ps] = [ptr(backend, lse), ptr(backend, sums)];
    own.row_max(ptr(backend, kernelInput(args, 'logits')), pl, n, k); // lse holds each row's max for now
    own.row_exp(ptr(backend, kernelInput(args, 'logits')), pl, 0, 0, ps, n, k);
    const [l, s] = [backend.typedArrayFromHeap(lse), backend.typedArrayFromHeap(sums)] as Float32Array[];
    const k4 = k - (k % 4);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let sum = s[i];
      for (let j = k4; j < k; j++) sum += Math.exp(x[row + j] - l[i]);
      l[i] += Math.log(sum);
      const t = targets[i];
      if (t >= 0 && t < k) total += weights[i] * (l[i] - x[row + t]);
    }
    (backend.typedArrayFromHeap(loss) as Float32Array)[0] = total / weightTotal(weights);
  } finally {
    backend.disposeData(sums.dataId);
  }
  return [loss, lse];
}

function gradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { backend, own, n, k } = rowsOf(args, XENT_GRAD_KERNEL);
  const dy = kernelInput(args, 'dy');
  const lse = kernelInput(args, 'lse');
  expectFloat32(lse, [n], 'lse', XENT_GRAD_KERNEL);
  if (dy.dtype !== 'float32' || dy.shape.reduce((a, b) => a * b, 1) !== 1)
    throw new Error(`${XENT_GRAD_KERNEL}: dy must be one float32.`);
  const out = backend.makeOutput([n, k], 'float32');
  const scale = backend.makeOutput([n], 'float32');
  try {
    const { x, targets, weights } = views(args, backend);
    const g = (backend.typedArrayFromHeap(dy) as Float32Array)[0] / weightTotal(weights);
    const s = backend.typedArrayFromHeap(scale) as Float32Array;
    for (let i = 0; i < n; i++) s[i] = targets[i] >= 0 && targets[i] < k ? g * weights[i] : 0;
    const p = ptr(backend, lse);
    own.row_exp(ptr(backend, kernelInput(args, 'logits')), p, ptr(backend, scale), ptr(backend, out), 0, n, k);
    const [d, l] = [backend.typedArrayFromHeap(out), backend.typedArrayFromHeap(lse)] as Float32Array[];
    const k4 = k - (k % 4);
    for (let i = 0; i < n; i++) {
      const row = i * k;
      for (let j = k4; j < k; j++) d[row + j] = s[i] * Math.exp(x[row + j] - l[i]);
      const t = targets[i];
      if (t >= 0 && t < k) d[row + t] -= s[i];
    }
  } finally {
    backend.disposeData(scale.dataId);
  }
  return [out];
}

/** Registered for wasm only (core/train/loss.ts composes the loss from tf.js ops elsewhere). */
export const XENT_KERNELS: readonly OwnKernel[] = [
  [XENT_KERNEL, forwardKernel],
  [XENT_GRAD_KERNEL, gradKernel],
];

/** Whether the current backend runs the loss as our kernels. */
export function hasCrossEntropyKernels(): boolean {
  const backend = tf.backend();
  const registered = XENT_KERNELS.every(([name]) => tf.getKernel(name, tf.getBackend()) !== undefined);
  return registered && isWasmBackend(backend) && ownWasmKernels(backend) !== undefined;
}

/**
 * Σ w·ce / max(Σ w, 1) over logits (…, K) and int targets and float weights of the logits' leading shape, as one
 * op with its own gradient (w.r.t. the logits only). Needs `hasCrossEntropyKernels()`.
 */
export function fusedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  const k = logits.shape[logits.shape.length - 1];
  // targets and weights enter as inputs with no gradient, so that the forward's scope frees every tensor it
  // makes but those saved for the backward (kept only while a gradient is being taken)
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, w] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const inputs = {
      logits: tf.reshape(x, [-1, k]),
      targets: tf.reshape(tf.cast(y, 'int32'), [-1]),
      weights: tf.reshape(tf.cast(w, 'float32'), [-1]),
    };
    const [loss, lse] = tf.engine().runKernel(XENT_KERNEL, inputs) as tf.Tensor[];
    save([inputs.logits, inputs.targets, inputs.weights, lse]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, st, sw, sl] = saved;
        if (!sx || !st || !sw || !sl) throw new Error('fusedCrossEntropy: saved tensors are missing');
        const d = Array.isArray(dy) ? dy[0] : dy;
        const grad = { dy: d, logits: sx, targets: st, weights: sw, lse: sl };
        const [dx] = tf.engine().runKernel(XENT_GRAD_KERNEL, grad) as tf.Tensor[];
        return [tf.reshape(dx, x.shape), tf.zerosLike(y), tf.zerosLike(w)];
      },
    };
  });
  return f(logits, targets, weights) as tf.Scalar;
}
