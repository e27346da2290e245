import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './kernel-args';

/**
 * Helpers for webgpu kernels built from other webgpu kernels. Core never imports tfjs-backend-webgpu (it runs in
 * Node on cpu and wasm), so kernels are found in tf.js's registry and the backend is reached structurally.
 */

/** The members of tfjs-backend-webgpu's WebGPUBackend (4.x) that our webgpu kernels use. */
export interface WebGpuBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array | Int32Array | Uint8Array): tf.TensorInfo;
}

export function isWebGpuBackend(backend: unknown): backend is WebGpuBackend {
  if (typeof backend !== 'object' || backend === null) return false;
  return ['disposeData', 'makeTensorInfo'].every((name) => typeof Reflect.get(backend, name) === 'function');
}

export function webGpuBackendOf(args: KernelArgs): WebGpuBackend {
  const { backend } = args;
  if (!isWebGpuBackend(backend)) throw new Error('This kernel needs the webgpu backend.');
  return backend;
}

/**
 * The dtype of the GPU buffer behind a tensor. It can differ from the tensor's own dtype: the stock Cast turns an
 * int32 or bool tensor into float32 without converting anything (it shares the i32 buffer), and shaders are typed
 * by the buffer. Read from the backend's tensorMap; the tensor's dtype when the backend does not say.
 */
export function bufferDtype(backend: unknown, info: tf.TensorInfo): tf.DataType {
  const map: unknown = typeof backend === 'object' && backend !== null ? Reflect.get(backend, 'tensorMap') : undefined;
  const get: unknown = typeof map === 'object' && map !== null ? Reflect.get(map, 'get') : undefined;
  if (typeof get !== 'function') return info.dtype;
  const data: unknown = Reflect.apply(get, map, [info.dataId]);
  const dtype: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'dtype') : undefined;
  return typeof dtype === 'string' ? (dtype as tf.DataType) : info.dtype;
}

export function single(result: tf.TensorInfo | tf.TensorInfo[], kernelName: string): tf.TensorInfo {
  if (Array.isArray(result)) throw new Error(`Expected one tensor from ${kernelName}, got ${result.length}.`);
  return result;
}

/** Runs the kernel registered now for `webgpu` (ours where we replaced it) on `inputs`. */
export function runWebGpuKernel(
  args: Pick<KernelArgs, 'backend'>,
  kernelName: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const config: tf.KernelConfig | undefined = tf.getKernel(kernelName, 'webgpu'); // typed non-optional; it is not
  if (config === undefined) throw new Error(`The webgpu backend has no ${kernelName} kernel.`);
  return single(config.kernelFunc({ inputs, backend: args.backend, attrs: attrs as tf.NamedAttrMap }), kernelName);
}
