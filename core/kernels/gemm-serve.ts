import * as tf from '@tensorflow/tfjs';
import { serveGemm, type GemmChannel } from './gemm-pool';

/**
 * A gemm-pool helper thread's whole life, after its entry file has loaded tfjs-backend-wasm: start the wasm
 * backend (single-threaded: the helper is the extra thread), then serve products until terminated.
 */
export async function serveGemmWithTfjs(channel: GemmChannel): Promise<never> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('A matmul helper thread could not start the wasm backend.');
  await tf.ready();
  return serveGemm(channel, (a, b, bias, m, k, n) => {
    const y = tf.tidy(() => {
      const lhs = tf.tensor2d(a, [m, k]);
      const rhs = tf.tensor2d(b, [k, n]);
      return bias ? tf.fused.matMul({ a: lhs, b: rhs, bias: tf.tensor1d(bias) }) : tf.matMul(lhs, rhs);
    });
    const values = y.dataSync();
    y.dispose();
    if (!(values instanceof Float32Array)) throw new Error('A matmul helper produced non-float32 data.');
    return values;
  });
}
