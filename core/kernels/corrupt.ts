import * as tf from '@tensorflow/tfjs';

/**
 * Test builds only: makes `backendName` compute wrong results, as a broken GPU driver or shader would, by scaling
 * every matmul output (plain and fused, as Dense uses) by 1.5 with the backend's own Multiply kernel. The verified
 * pick must refuse it. Returns false when the backend has no such kernels (not registered).
 */
export function corruptBackend(backendName: string): boolean {
  const multiply: tf.KernelConfig | undefined = tf.getKernel('Multiply', backendName);
  if (!multiply) return false;
  let any = false;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const matmul: tf.KernelConfig | undefined = tf.getKernel(name, backendName);
    if (matmul) any = scaleOutputs(matmul, multiply) || any;
  }
  return any;
}

function scaleOutputs(matmul: tf.KernelConfig, multiply: tf.KernelConfig): boolean {
  const inner = matmul.kernelFunc;
  const kernelFunc: tf.KernelFunc = (args) => {
    const out = inner(args) as tf.TensorInfo;
    const backend = args.backend as unknown as {
      makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
      disposeData(dataId: tf.DataId): boolean;
    };
    const scale = backend.makeTensorInfo([], 'float32', new Float32Array([1.5]));
    const scaled = multiply.kernelFunc({
      inputs: { a: out, b: scale },
      backend: args.backend,
      attrs: {},
    }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
    backend.disposeData(scale.dataId);
    return scaled;
  };
  tf.unregisterKernel(matmul.kernelName, matmul.backendName);
  tf.registerKernel({ ...matmul, kernelFunc });
  return true;
}
