import type * as tf from '@tensorflow/tfjs';
import { isWasmBackend } from './backend-access';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

let rowGathers = 0;
/** How many gathers took the row-copy route (tests check the route). */
export const rowGathersRun = (): number => rowGathers;

/**
 * GatherV2 for tfjs-backend-wasm where it picks whole rows (axis 0, no batch dims: every embedding lookup): each
 * index's row is one TypedArray copy. The stock kernel works element by element: 3.0 ms for the Mini GPT's 768
 * rows of 128 from (69, 128), 3% of its step on 2 threads. Other gathers, other dtypes and any index out of range
 * keep the stock kernel and its behaviour.
 */
export function makeWasmGather(stock: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const indices = kernelInput(args, 'indices');
    const { backend } = args;
    const rank = x.shape.length;
    const axisAttr = args.attrs?.['axis'] ?? 0;
    const batchDims = args.attrs?.['batchDims'] ?? 0;
    const axis = typeof axisAttr === 'number' && axisAttr < 0 ? axisAttr + rank : axisAttr;
    const plain = (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32';
    if (!isWasmBackend(backend) || !plain || axis !== 0 || batchDims !== 0 || rank < 1 || sizeOf(x.shape) === 0)
      return stock(args);
    const rows = x.shape[0];
    if (!(backend.typedArrayFromHeap(indices) as Int32Array).every((i) => i >= 0 && i < rows)) return stock(args);
    const width = sizeOf(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after makeOutput: it may grow the heap.
    const [ids, from, to] = [indices, x, out].map((t) => backend.typedArrayFromHeap(t));
    for (let r = 0; r < ids.length; r++) {
      const at = ids[r] * width;
      to.set(from.subarray(at, at + width), r * width);
    }
    rowGathers += 1;
    return out;
  };
}
