import type * as tf from '@tensorflow/tfjs';
import { kernelInput, type KernelArgs } from './kernel-args';
import { bufferDtype, runWebGpuKernel, single, webGpuBackendOf } from './webgpu-calls';

/**
 * tfjs-backend-webgpu 4.22 and int32 buffers (tensorflow/tfjs#8638).
 *
 * The stock TransposeProgram reads its input as `A[i]` and hands it to `setOutputAtIndex(i, value: f32)`. When the
 * input buffer is `array<i32>` (an int32 or bool tensor), Chrome's WGSL compiler (Tint, since Chrome 141) rejects
 * the shader, the dispatch is dropped with its whole command buffer, and the output keeps stale pooled memory.
 * Rank-2 transposes use another program that converts, so the bug hits rank ≥ 3 only, and not only tf.transpose:
 * Sum, Max, Min, Prod, Mean, ArgMax, ArgMin, UnsortedSegmentSum and Cumsum call that transpose internally (bypassing
 * the kernel registry) when they reduce over a non-innermost axis.
 *
 * Worse, the stock Cast from int32 or bool to float32 converts nothing: it returns a float32 tensor sharing the i32
 * buffer, and shaders are typed by the buffer. So `tf.sum(tf.cast(mask, 'float32'), 1)` on a (B, T, 1) mask, as
 * MaskedMeanPool computes, fails the same way (every classifier template with an Embedding).
 *
 * Fixes, all wrapping the stock kernels (nothing vendored):
 * - Cast int32/bool → float32 converts, by multiplying with a float32 1 (the binary kernel writes an f32 buffer).
 * - UnsortedSegmentSum of int32 x is wrong at any rank: its atomicAdd adds the bits of the f32 value
 *   (`bitcast<i32>`), not the value (max abs diff 2.0e9 for a (300, 10) sum), so int32 x always takes the float path.
 * - Transpose and the reductions above, given an i32 buffer of rank ≥ 3, run on a float32 copy and cast the
 *   result back to the dtype the stock kernel returns. float32 holds integers exactly up to 2^24; the backend
 *   itself writes every int32 result through f32 (`setOutputAtIndex` takes an f32), so this loses nothing more.
 */

const isIntLike = (dtype: tf.DataType): boolean => dtype === 'int32' || dtype === 'bool';

/** A float32 tensor with its own f32 buffer holding `x`'s values (x may be int32, bool, or a float32 view of i32). */
export function toFloatBuffer(args: KernelArgs, x: tf.TensorInfo): tf.TensorInfo {
  const backend = webGpuBackendOf(args);
  const one = backend.makeTensorInfo([], 'float32', Float32Array.of(1));
  const out = runWebGpuKernel(args, 'Multiply', { a: x, b: one }); // int32 × float32 → float32
  backend.disposeData(one.dataId);
  return out;
}

/** Cast that really converts int32 and bool to float32; every other cast is the stock one. */
export function makeConvertingCast(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = kernelInput(args, 'x');
    if (args.attrs?.dtype !== 'float32' || !isIntLike(x.dtype)) return stock(args);
    return toFloatBuffer(args, x);
  };
}

/** What a wrapped kernel returns for an input of dtype `dtype` (the stock kernel's rule). */
export type OutDtype = (dtype: tf.DataType) => tf.DataType;
export const SAME_DTYPE: OutDtype = (dtype) => dtype;
/** Sum and Prod: bool and int32 sum to int32 (tfjs-core sumOutType). */
export const SUM_DTYPE: OutDtype = (dtype) => (dtype === 'bool' ? 'int32' : dtype);
export const INT32: OutDtype = () => 'int32';
export const FLOAT32: OutDtype = () => 'float32';

/**
 * Wraps a webgpu kernel whose input `x` may be transposed by the stock TransposeProgram: an i32 buffer of rank ≥
 * `minRank` (3: rank-2 transposes convert) goes in as a float32 copy, and the result is cast back to `outDtype(x.dtype)`.
 */
export function makeIntSafe(stock: tf.KernelFunc, outDtype: OutDtype, minRank = 3): tf.KernelFunc {
  return (args) => {
    const x = kernelInput(args, 'x');
    if (x.shape.length < minRank || !isIntLike(bufferDtype(args.backend, x))) return stock(args);
    const backend = webGpuBackendOf(args);
    const xf = toFloatBuffer(args, x);
    const result = single(stock({ ...args, inputs: { ...args.inputs, x: xf } }), 'an int-safe kernel');
    backend.disposeData(xf.dataId);
    const want = outDtype(x.dtype);
    if (result.dtype === want) return result;
    const cast = runWebGpuKernel(args, 'Cast', { x: result }, { dtype: want }); // float32 → int32 or bool: converts
    backend.disposeData(result.dataId);
    return cast;
  };
}

/** ArgMax/ArgMin of a rank-1 tensor: the stock kernel returns shape [1] instead of a scalar. */
export function makeScalarArgReduce(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const result = single(stock(args), 'ArgMax');
    const x = kernelInput(args, 'x');
    return x.shape.length === 1 && result.shape.length === 1 ? { ...result, shape: [] } : result;
  };
}
