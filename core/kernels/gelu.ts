import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord, type WasmBackend } from './backend-access';
import type { OwnKernel } from './float-kernel';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';
import { mapSplit } from './own-gemm-threads';
import { ownWasmHeap, ownWasmKernels } from './own-wasm';

/**
 * Exact GELU, x·Φ(x), and its gradient dy·(Φ(x) + x·φ(x)), each one kernel call on wasm: our SIMD kernel
 * (own-kernels.wat) over the heap, four values at a time, with the last n mod 4 (and everything, where the SIMD
 * module cannot start) by the same formulas in JS; big tensors are shared with our GEMM's helper threads.
 * Composed from tf.js ops, the forward is 5 kernels (Erf alone ~2.8 ms for a Mini GPT MLP's 393k values) and the
 * backward 7. Φ comes from erfc by Abramowitz & Stegun 7.1.26
 * (|error| ≤ 1.5e-7, as float32's own rounding), e^x from a degree-6 polynomial after range reduction; the
 * backward recomputes Φ and φ from x, so the forward keeps no second tensor.
 */
export const GELU_KERNEL = 'WordloomGelu';
export const GELU_GRAD_KERNEL = 'WordloomGeluGrad';

const [A1, A2, A3, A4, A5, P] = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429, 0.3275911];
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** [Φ(x), φ(x)] by the formulas of the SIMD kernel. */
export function normalCdfPdf(x: number): [number, number] {
  const z = Math.abs(x) * Math.SQRT1_2;
  const t = 1 / (1 + P * z);
  const e = Math.exp(-z * z);
  const half = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * e * 0.5; // erfc(z) / 2
  return [x < 0 ? half : 1 - half, e * INV_SQRT_2PI];
}

function floatInput(args: KernelArgs, name: string, kernel: string): tf.TensorInfo {
  const t = kernelInput(args, name);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32.`);
  return t;
}

function wasmOf(args: KernelArgs, kernel: string): WasmBackend {
  if (!isWasmBackend(args.backend)) throw new Error(`${kernel} runs on the wasm backend only.`);
  return args.backend;
}

function geluKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmOf(args, GELU_KERNEL);
  const x = floatInput(args, 'x', GELU_KERNEL);
  const out = backend.makeOutput(x.shape, 'float32');
  const n = sizeOf(x.shape);
  const own = ownWasmKernels(backend);
  const simd = own ? n - (n % 4) : 0;
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  if (own && simd > 0) mapSplit(own, ownWasmHeap(backend), 'gelu4', [at(x), at(out)], simd);
  const [xs, ys] = [x, out].map((t) => backend.typedArrayFromHeap(t));
  for (let j = simd; j < n; j++) ys[j] = xs[j] * normalCdfPdf(xs[j])[0];
  return [out];
}

function geluGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmOf(args, GELU_GRAD_KERNEL);
  const dy = floatInput(args, 'dy', GELU_GRAD_KERNEL);
  const x = floatInput(args, 'x', GELU_GRAD_KERNEL);
  if (sizeOf(dy.shape) !== sizeOf(x.shape)) throw new Error(`${GELU_GRAD_KERNEL}: dy and x differ in size.`);
  const out = backend.makeOutput(x.shape, 'float32');
  const n = sizeOf(x.shape);
  const own = ownWasmKernels(backend);
  const simd = own ? n - (n % 4) : 0;
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  if (own && simd > 0) mapSplit(own, ownWasmHeap(backend), 'gelu_grad4', [at(dy), at(x), at(out)], simd);
  const [d, xs, dx] = [dy, x, out].map((t) => backend.typedArrayFromHeap(t));
  for (let j = simd; j < n; j++) {
    const [cdf, pdf] = normalCdfPdf(xs[j]);
    dx[j] = d[j] * (cdf + xs[j] * pdf);
  }
  return [out];
}

/** Registered for wasm only (cpu and the GPU backends compose GELU from tf.js ops). */
export const GELU_KERNELS: readonly OwnKernel[] = [
  [GELU_KERNEL, geluKernel],
  [GELU_GRAD_KERNEL, geluGradKernel],
];

/** Whether the current backend runs GELU as our kernels. */
export function hasGeluKernels(): boolean {
  const backend = tf.getBackend();
  return GELU_KERNELS.every(([name]) => tf.getKernel(name, backend) !== undefined);
}
