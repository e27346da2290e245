import type * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord } from './backend-access';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';
import { ownWasmKernels } from './own-wasm';

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** The reduced axes of a Sum call, normalized (non-negative, sorted, unique); undefined for an odd attribute. */
function reducedAxes(axis: unknown, rank: number): number[] | undefined {
  const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? (axis as unknown[]) : undefined;
  if (list === undefined || !list.every((a) => typeof a === 'number' && Number.isInteger(a))) return undefined;
  const axes = (list as number[]).map((a) => (a < 0 ? a + rank : a));
  if (axes.some((a) => a < 0 || a >= rank)) return undefined;
  return [...new Set(axes)].sort((p, q) => p - q);
}

let sums = 0;

/** How many sums ran on our kernel since the process started (tests check the route). */
export const ownSumsRun = (): number => sums;

/**
 * Sum for tfjs-backend-wasm over leading axes of a float32 tensor (x (R…, C…) summed over R…), as every bias's
 * gradient is: the stock kernel transposes the reduced axes to the end first, then reduces, 1.8 ms for
 * (768, 512) → (512) in the Mini GPT step; our SIMD kernel (own-kernels.wat sum_rows) adds the rows in place,
 * reading x once. Other reductions, and engines where our kernels cannot start, keep the stock kernel.
 */
export function makeWasmSum(stock: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const { backend } = args;
    const rank = x.shape.length;
    const axes = reducedAxes(args.attrs?.['axis'], rank);
    const leading = axes !== undefined && axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || !isWasmBackend(backend) || x.dtype !== 'float32' || sizeOf(x.shape) === 0) return stock(args);
    const own = ownWasmKernels(backend);
    if (own === undefined) return stock(args);
    const kept = x.shape.slice(axes.length);
    const shape = args.attrs?.['keepDims'] === true ? [...axes.map(() => 1), ...kept] : kept;
    const out = backend.makeOutput(shape, 'float32');
    const rows = sizeOf(x.shape.slice(0, axes.length));
    own.sum_rows(wasmRecord(backend, x).memoryOffset, wasmRecord(backend, out).memoryOffset, rows, sizeOf(kept));
    sums += 1;
    return out;
  };
}
