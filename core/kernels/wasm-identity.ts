import type * as tf from '@tensorflow/tfjs';
import { isWasmBackend } from './backend-access';
import { kernelInput, type KernelArgs } from './kernel-args';

type KernelCall = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** The members of tfjs-backend-wasm's BackendWasm that reference counting needs (Reshape uses the same). */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

const countsRefs = (backend: object): backend is RefCounting =>
  typeof Reflect.get(backend, 'incRef') === 'function';

/**
 * Identity for tfjs-backend-wasm as the cpu backend has it: the output shares the input's data (one more
 * reference), where the stock kernel copies it. tf.js' engine calls Identity to keep every tensor a gradient
 * needs (`saveTensorsForBackwardMode`): 238 of the 273 Identity calls of a Mini GPT step, each a copy of an
 * activation. Sharing is safe because no kernel writes its inputs (tensors are immutable; a variable's `assign`
 * swaps its data id); Reshape on wasm already shares the same way. Strings keep the stock kernel.
 */
export function makeWasmIdentity(stock: KernelCall): KernelCall {
  return (args) => {
    const x = kernelInput(args, 'x');
    const { backend } = args;
    if (x.dtype === 'string' || !isWasmBackend(backend) || !countsRefs(backend)) return stock(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
