import type * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './kernel-args';

/**
 * AddN for tfjs-backend-webgpu that splits long sums. The stock kernel (tfjs 4.22, kernels/AddN.ts) binds every
 * input as its own storage buffer in one shader, but a device allows only `maxStorageBuffersPerShaderStage`
 * of them (8 unless the backend asks for more, and 4.22 does not; one goes to the output). AddN with more than 7
 * inputs therefore fails pipeline validation, the dispatch is dropped and the output keeps whatever its pooled
 * buffer held. Training hits this in AdamW's global gradient norm (one squared sum per variable: 52 for Mini GPT),
 * so the clip scale, and every update, became garbage. The stock Concat kernel already splits this way
 * (kernels/Concat_impl.ts); we do the same for AddN: sum chunks of at most (limit − 1) inputs, then the partial sums.
 */

/** WebGPU's guaranteed minimum for maxStorageBuffersPerShaderStage. */
const DEFAULT_STORAGE_BUFFERS = 8;

/** The backend's `device.limits.maxStorageBuffersPerShaderStage` (read structurally: core does not import tfjs-backend-webgpu). */
function storageBufferLimit(backend: unknown): number {
  const device: unknown = typeof backend === 'object' && backend !== null ? Reflect.get(backend, 'device') : undefined;
  const limits: unknown = typeof device === 'object' && device !== null ? Reflect.get(device, 'limits') : undefined;
  const limit: unknown =
    typeof limits === 'object' && limits !== null ? Reflect.get(limits, 'maxStorageBuffersPerShaderStage') : undefined;
  return typeof limit === 'number' && limit >= 3 ? limit : DEFAULT_STORAGE_BUFFERS;
}

function hasDisposeData(backend: unknown): backend is { disposeData(dataId: tf.DataId): boolean } {
  return (
    typeof backend === 'object' && backend !== null && typeof Reflect.get(backend, 'disposeData') === 'function'
  );
}

function single(result: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
  if (Array.isArray(result)) throw new Error(`Expected one tensor from AddN, got ${result.length}.`);
  return result;
}

/** tf.js passes AddN its inputs as an array (typed as a name → tensor map). */
function asInputs(tensors: tf.TensorInfo[]): KernelArgs['inputs'] {
  return tensors as unknown as KernelArgs['inputs'];
}

/** Wraps the stock webgpu AddN so that no single shader binds more inputs than the device allows. */
export function makeChunkedAddN(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { backend } = args;
    const maxInputs = storageBufferLimit(backend) - 1; // one storage buffer is the output
    let tensors = Object.values(args.inputs).filter((t): t is tf.TensorInfo => t !== undefined);
    if (tensors.length <= maxInputs || !hasDisposeData(backend)) return stock(args);
    const partials: tf.TensorInfo[] = [];
    while (tensors.length > maxInputs) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < tensors.length; i += maxInputs) {
        const chunk = tensors.slice(i, i + maxInputs);
        if (chunk.length === 1) {
          next.push(chunk[0]);
          continue;
        }
        const partial = single(stock({ ...args, inputs: asInputs(chunk) }));
        partials.push(partial);
        next.push(partial);
      }
      tensors = next;
    }
    const result = stock({ ...args, inputs: asInputs(tensors) });
    for (const partial of partials) backend.disposeData(partial.dataId);
    return result;
  };
}
