import type * as tf from '@tensorflow/tfjs';

/**
 * Structural views of the two backends our kernels talk to. tf.js hands a kernel its backend typed as `{}`,
 * and tfjs-backend-wasm's own typings lose `cwrap`/`HEAPU8` (they extend an Emscripten type we do not load),
 * so each kernel checks the shape it needs at runtime through the guards below instead of casting.
 */

/** The members every tf.js backend has (tfjs-core KernelBackend) that a kernel may call synchronously. */
export interface SyncBackend {
  readSync(dataId: tf.DataId): unknown;
  write(values: Float32Array | Int32Array, shape: number[], dtype: tf.DataType): tf.DataId;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** What tfjs-backend-wasm keeps per tensor: a numeric id known to C++ and the byte offset of its data in the heap. */
export interface WasmTensorRecord {
  id: number;
  memoryOffset: number;
}

/** A C function exported by the tf.js wasm module, wrapped by Emscripten's cwrap. */
export type WasmCFunction = (...args: (number | boolean | Uint8Array)[]) => void;

/** The members of tfjs-backend-wasm's BackendWasm (4.x) that our wasm kernels use. */
export interface WasmBackend extends SyncBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: tf.DataId): WasmTensorRecord | undefined; delete(dataId: tf.DataId): unknown };
  wasm: {
    cwrap(name: string, returnType: null, argTypes: string[]): WasmCFunction;
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
}

function hasFunctions(value: object, names: string[]): boolean {
  return names.every((name) => name in value && typeof Reflect.get(value, name) === 'function');
}

/** True when `backend` offers the synchronous read/write every CPU-side kernel of ours needs. */
export function isSyncBackend(backend: unknown): backend is SyncBackend {
  return typeof backend === 'object' && backend !== null && hasFunctions(backend, ['readSync', 'write', 'disposeData']);
}

/** True when `backend` is a tfjs-backend-wasm instance with the heap and C bindings our wasm kernels use. */
export function isWasmBackend(backend: unknown): backend is WasmBackend {
  if (!isSyncBackend(backend) || !hasFunctions(backend, ['makeOutput', 'typedArrayFromHeap'])) return false;
  const dataIdMap: unknown = Reflect.get(backend, 'dataIdMap');
  const wasm: unknown = Reflect.get(backend, 'wasm');
  if (typeof dataIdMap !== 'object' || dataIdMap === null || !hasFunctions(dataIdMap, ['get', 'delete'])) return false;
  if (typeof wasm !== 'object' || wasm === null || !hasFunctions(wasm, ['cwrap'])) return false;
  const bindings: unknown = Reflect.get(wasm, 'tfjs');
  return typeof bindings === 'object' && bindings !== null && hasFunctions(bindings, ['registerTensor', 'disposeData']);
}

/** The wasm record of a tensor; a missing one means the tensor lives on another backend, which is a bug. */
export function wasmRecord(backend: WasmBackend, info: tf.TensorInfo): WasmTensorRecord {
  const record = backend.dataIdMap.get(info.dataId);
  if (record === undefined)
    throw new Error(`Tensor of shape [${info.shape.join(', ')}] has no data on the wasm backend.`);
  return record;
}

/**
 * A tensor that aliases `length` elements of `base` starting at element `offset`, with no copy.
 * It must be released with `releaseView`, never disposed normally: that would free memory `base` owns.
 */
export function makeView(backend: WasmBackend, base: tf.TensorInfo, offset: number, shape: number[]): tf.TensorInfo {
  const bytesPerElement = 4; // float32 and int32 only; callers check the dtype
  const memoryOffset = wasmRecord(backend, base).memoryOffset + offset * bytesPerElement;
  return backend.makeOutput(shape, base.dtype, memoryOffset);
}

/** Forgets a view: C++ drops its tensor entry (and any XNNPACK operator cached on it) and JS its record; no free. */
export function releaseView(backend: WasmBackend, view: tf.TensorInfo): void {
  backend.wasm.tfjs.disposeData(wasmRecord(backend, view).id);
  backend.dataIdMap.delete(view.dataId);
}

/** Int32 bytes of a shape, the form the wasm C functions take shapes in. */
export function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}
