import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { seededValues, useBackend } from './helpers';

describe('wasm Identity shares its input (as cpu does) instead of copying it', () => {
  it('same values and dtype, the same data buffer, and either tensor can be disposed first', async () => {
    await useBackend('wasm');
    expect(registerWordloomKernels('wasm')).toContain('Identity');
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const raw = seededValues(24, 7);
      const x = tf.tensor(dtype === 'float32' ? raw : Int32Array.from(raw, (v) => (v > 0 ? 1 : 0)), [2, 3, 4], dtype);
      const want = Array.from(x.dataSync());
      const buffers = tf.memory().numDataBuffers;
      const y = tf.clone(x); // the Identity kernel
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual([2, 3, 4]);
      expect(Array.from(y.dataSync())).toEqual(want);
      expect(y.dataId).toBe(x.dataId); // the stock kernel copies into a new buffer
      expect(tf.memory().numDataBuffers).toBe(buffers);
      x.dispose(); // the data lives on while y refers to it
      expect(Array.from(y.dataSync())).toEqual(want);
      const z = tf.add(y, tf.zerosLike(y)); // and is still usable by other kernels
      expect(Array.from(z.dataSync())).toEqual(want);
      tf.dispose([y, z]);
    }
  });

  it('gradients through kernels that save their inputs are unchanged, with no tensor left behind', async () => {
    const grads = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
      await useBackend(backend);
      const x = tf.tensor(seededValues(60, 3), [5, 12]);
      const w = tf.tensor(seededValues(48, 4), [12, 4]);
      const before = tf.memory().numTensors;
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.exp(tf.tanh(tf.matMul(a, b)))))([x, w]);
      const out = [...(await g[0].data()), ...(await g[1].data())];
      tf.dispose(g);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w]);
      return out;
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 4));
  });
});
