import * as tf from '@tensorflow/tfjs';
import { isSyncBackend, isWasmBackend } from './backend-access';
import { sizeOf, type KernelArgs } from './kernel-args';

/**
 * Shared plumbing of Wordloom's own float32 kernels on cpu and wasm (lstm-cell.ts, layer-norm.ts): a JS loop over
 * the tensors' arrays, on the wasm heap in place or through readSync/write on cpu.
 */

/** A kernel of ours: its name and function (no stock kernel has the name). */
export type OwnKernel = readonly [string, (args: KernelArgs) => tf.TensorInfo[]];

type Floats = Float32Array;

/**
 * Runs `compute` on Float32Array views of `inputs` and of fresh outputs with `outShapes`: in place on the wasm heap,
 * or through readSync/write on cpu. Returns the outputs in order.
 */
export function runFloatKernel(
  args: KernelArgs,
  kernel: string,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  compute: (ins: Floats[], outs: Floats[]) => void,
): tf.TensorInfo[] {
  const { backend } = args;
  const floats = (values: unknown): Floats => {
    if (values instanceof Float32Array) return values;
    throw new Error(`${kernel}: an input is not float32 data.`);
  };
  if (isWasmBackend(backend)) {
    const outs = outShapes.map((shape) => backend.makeOutput(shape, 'float32'));
    // Views only after every allocation: growing the heap detaches earlier ones.
    const view = (t: tf.TensorInfo) => floats(backend.typedArrayFromHeap(t));
    compute(inputs.map(view), outs.map(view));
    return outs;
  }
  if (isSyncBackend(backend)) {
    const outs = outShapes.map((shape) => new Float32Array(sizeOf(shape)));
    compute(
      inputs.map((t) => floats(backend.readSync(t.dataId))),
      outs,
    );
    return outs.map((values, i) => ({
      dataId: backend.write(values, outShapes[i], 'float32'),
      shape: outShapes[i],
      dtype: 'float32',
    }));
  }
  throw new Error(`${kernel} needs a backend that can read tensors synchronously.`);
}

/** Whether every kernel in `kernels` is registered for the current backend. */
export function hasKernels(kernels: readonly OwnKernel[]): boolean {
  const backend = tf.getBackend();
  return kernels.every(([name]) => {
    const found: tf.KernelConfig | undefined = tf.getKernel(name, backend);
    return found !== undefined;
  });
}

/**
 * Registers `kernels` for cpu and wasm where they are not registered yet: for the exported tf.js runtime
 * (wordloom-model.js), so a model loaded in plain tf.js computes exactly as the app does. Own names only:
 * no stock kernel is replaced.
 */
export function registerOwnKernels(kernels: readonly OwnKernel[]): void {
  for (const backendName of ['cpu', 'wasm'])
    for (const [kernelName, kernelFunc] of kernels) {
      const found: tf.KernelConfig | undefined = tf.getKernel(kernelName, backendName);
      if (found === undefined)
        tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
}
