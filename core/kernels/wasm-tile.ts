import type * as tf from '@tensorflow/tfjs';
import { isWasmBackend } from './backend-access';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

function single(result: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(result)) throw new Error(`Expected one tensor from a kernel, got ${result.length}.`);
  return result;
}

/**
 * Tile for tfjs-backend-wasm where it is a broadcast: when every repeated axis has size 1 (tf.layers'
 * LayerNormalization tiles gamma (1, 1, D) and the moments (B, T, 1) to (B, T, D); attention tiles a key mask),
 * x + zeros(out) gives the same values through wasm's broadcasting Add: 0.36 ms instead of 9.5 ms for
 * (1, 1, 128) -> (12, 64, 128) on this machine. Other tiles, and non-float dtypes, keep the stock kernel.
 */
export function makeWasmTile(stock: KernelCall, fill: KernelCall, add: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const reps = args.attrs?.['reps'];
    const { backend } = args;
    if (!isWasmBackend(backend) || x.dtype !== 'float32' || !Array.isArray(reps) || reps.length !== x.shape.length)
      return stock(args);
    const counts = reps as number[];
    const broadcast = x.shape.every((size, axis) => counts[axis] === 1 || size === 1);
    const outShape = x.shape.map((size, axis) => size * counts[axis]);
    if (!broadcast || sizeOf(outShape) === 0) return stock(args);
    const zeros = single(fill({ inputs: {}, backend, attrs: { shape: outShape, value: 0, dtype: 'float32' } }));
    try {
      return single(add({ inputs: { a: x, b: zeros }, backend, attrs: {} }));
    } finally {
      backend.disposeData(zeros.dataId);
    }
  };
}
