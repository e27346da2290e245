import type * as tf from '@tensorflow/tfjs';
import { intAttr, kernelInput, type KernelArgs } from './kernel-args';
import { runWebGpuKernel, webGpuBackendOf } from './webgpu-calls';

/**
 * DenseBincount for tfjs-backend-webgpu, built on the stock kernel's one path that works.
 * tfjs 4.22's BincountProgram is broken twice (measured in Chromium 156 against the cpu backend):
 * - 2-D x (B, T), what BagOfWords counts: the shader decodes each thread's (row, column) with the strides of the
 *   (B, size) output instead of x's (B, T), so counts land in the wrong bins or are lost (off by up to the count);
 * - binaryOutput: the shader calls atomicStore on a plain f32 buffer, which does not compile, so nothing is written.
 * Counting a 1-D x works. So every row gets its own block of bins in one 1-D count: row b's value v goes to bin
 * b·W + v + 1 with W = size + 2, values below 0 to the block's first bin and values ≥ size to its last (both thrown
 * away, as tf.js drops them), then (B, W) is sliced back to (B, size). binaryOutput is the count clipped to 1
 * (TensorFlow ignores weights there).
 */
export function makeWebGpuDenseBincount(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = webGpuBackendOf(args);
    const x = kernelInput(args, 'x');
    const weights = kernelInput(args, 'weights');
    const size = intAttr(args, 'size');
    const binary = args.attrs?.binaryOutput === true;
    const rows = x.shape.length === 2 ? x.shape[0] : 1;
    const cols = x.shape.length === 2 ? x.shape[1] : x.shape[0];
    const width = size + 2;
    const temps: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo): tf.TensorInfo => {
      temps.push(t);
      return t;
    };
    const typed = (dtype: tf.DataType, values: number[]) =>
      dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    const scalar = (v: number) => keep(backend.makeTensorInfo([], 'int32', Int32Array.of(v)));
    const offsets = keep(
      backend.makeTensorInfo([rows, 1], 'int32', Int32Array.from({ length: rows }, (_, r) => r * width + 1)),
    );

    const grid = keep(runWebGpuKernel(args, 'Reshape', { x }, { shape: [rows, cols] })); // (B, T)
    const low = keep(runWebGpuKernel(args, 'Maximum', { a: grid, b: scalar(-1) })); // v < 0 → -1
    const high = keep(runWebGpuKernel(args, 'Minimum', { a: low, b: scalar(size) })); // v ≥ size → size
    const bins = keep(runWebGpuKernel(args, 'Add', { a: high, b: offsets })); // b·W + v + 1, in [b·W, b·W + W)
    const flat = keep(runWebGpuKernel(args, 'Reshape', { x: bins }, { shape: [rows * cols] }));
    const hasWeights = weights.shape.reduce((n, d) => n * d, 1) > 0;
    const flatWeights = !hasWeights
      ? weights
      : binary // counted without weights, then clipped
        ? keep(backend.makeTensorInfo([0], weights.dtype, typed(weights.dtype, [])))
        : keep(runWebGpuKernel(args, 'Reshape', { x: weights }, { shape: [rows * cols] }));
    const counted = stock({
      inputs: { x: flat, weights: flatWeights },
      backend: args.backend,
      attrs: { size: rows * width, binaryOutput: false },
    });
    if (Array.isArray(counted)) throw new Error(`Expected one tensor from DenseBincount, got ${counted.length}.`);
    keep(counted);
    const blocks = keep(runWebGpuKernel(args, 'Reshape', { x: counted }, { shape: [rows, width] }));
    const sliced = runWebGpuKernel(args, 'Slice', { x: blocks }, { begin: [0, 1], size: [rows, size] }); // (B, size)
    let out = sliced;
    if (binary) {
      keep(sliced);
      const one = keep(backend.makeTensorInfo([], sliced.dtype, typed(sliced.dtype, [1])));
      out = runWebGpuKernel(args, 'Minimum', { a: sliced, b: one });
    }
    if (x.shape.length !== 2) {
      keep(out);
      out = runWebGpuKernel(args, 'Reshape', { x: out }, { shape: [size] });
    }
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
}
