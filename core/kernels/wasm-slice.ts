import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, type WasmBackend } from './backend-access';
import { kernelInput, sizeOf, type KernelArgs } from './kernel-args';

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/**
 * Slice, Unpack and SplitV for tfjs-backend-wasm without copying the whole input per output. The stock Slice
 * (kernels/Slice.js, 4.22) reads its input with `backend.readSync`, which copies the entire tensor out of the heap
 * before taking the slice, and Unpack and SplitV call it once per output: tf.unstack of the LSTM's (64, 32, 1024)
 * input projections took 408 ms on this machine (64 copies of 8 MB). Here every output is copied from a heap view
 * of exactly the elements it needs. Strings keep the stock kernels.
 */

/** out = x[begin : begin + size] (every axis), as contiguous runs of the innermost kept axes, from heap views. */
function sliceInto(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (sizeOf(size) === 0) return out;
  // Views after the allocation above: growing the heap detaches earlier ones.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape); // rank − 1 entries
  const stride = (axis: number): number => (axis === rank - 1 ? 1 : strides[axis]);
  // The innermost axes taken whole (and the first partial one) form one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === x.shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const outer = size.slice(0, inner);
  const index = outer.map(() => 0);
  const base = begin.reduce((offset, b, axis) => offset + b * stride(axis), 0);
  const runs = sizeOf(outer);
  for (let r = 0, o = 0; r < runs; r++, o += run) {
    let offset = base;
    for (let axis = 0; axis < inner; axis++) offset += index[axis] * stride(axis);
    dst.set(src.subarray(offset, offset + run), o);
    for (let axis = inner - 1; axis >= 0; axis--) {
      if (++index[axis] < outer[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}

const plainDtype = (x: tf.TensorInfo): boolean => x.dtype !== 'string' && x.dtype !== 'complex64';

export function makeWasmSlice(stock: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const { backend } = args;
    if (!isWasmBackend(backend) || !plainDtype(x)) return stock(args);
    const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    return sliceInto(backend, x, begin, size);
  };
}

export function makeWasmUnpack(stock: KernelCall): KernelCall {
  return (args) => {
    const value = kernelInput(args, 'value');
    const { backend } = args;
    if (!isWasmBackend(backend) || !plainDtype(value)) return stock(args);
    const rank = value.shape.length;
    const raw = (args.attrs?.['axis'] as number | undefined) ?? 0;
    const axis = raw < 0 ? raw + rank : raw;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.map((d, i) => (i === axis ? 1 : d));
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = value.shape.map((_d, a) => (a === axis ? i : 0));
      const out = sliceInto(backend, value, begin, size);
      return { ...out, shape: outShape };
    });
  };
}

export function makeWasmSplitV(stock: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const { backend } = args;
    if (!isWasmBackend(backend) || !plainDtype(x)) return stock(args);
    const attrs = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const size = x.shape.map((d, a) => (a === axis ? s : d));
      const out = sliceInto(backend, x, [...begin], size);
      begin[axis] += s;
      return out;
    });
  };
}
