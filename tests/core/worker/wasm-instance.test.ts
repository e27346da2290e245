import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../core/host-node/backend';
import { restartWasm, sweepRetiredWasm } from '../../../core/worker/wasm-instance';
import { take } from '../kernels/helpers';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync()); // take() disposes; this keeps

// A fresh wasm instance (how a pick runs wasm at another thread count): what lived on the old one stays usable.

beforeAll(async () => {
  await startNodeBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('restartWasm', () => {
  it('starts a new instance; tensors and variables made before it keep their values and take part in ops', async () => {
    const old = tf.findBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const init = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const w = tf.variable(init);
    let threads = 0;
    await restartWasm((n) => {
      setThreadsCount(n);
      threads = n;
    }, 1);
    expect(threads).toBe(1);
    expect(tf.getBackend()).toBe('wasm');
    const fresh = tf.findBackend('wasm');
    expect(fresh).not.toBe(old);
    expect(tf.engine().state.tensorInfo.get(w.dataId)?.backend).toBe(fresh); // a variable moves at once
    expect(sweepRetiredWasm()).toBe(1); // x still lives on the old instance
    // Read where they are, then used by the new instance (tf.js moves their data to it).
    expect(values(x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(take(tf.matMul(x, w))).toEqual([4, 5, 10, 11]);
    // A variable keeps training on the new instance: one gradient step moves it.
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.matMul(x, v as tf.Tensor2D)))(w);
    const next = tf.sub(w, g) as tf.Tensor2D;
    w.assign(next);
    expect(values(w)).toEqual([-4, -5, -7, -6, -8, -8]);
    expect(old?.numDataIds()).toBe(0); // all moved
    expect(sweepRetiredWasm()).toBe(0); // so the old instance is disposed
    tf.dispose([x, init, w, next, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a tensor disposed on the old instance frees it there; the retired instance goes once empty', async () => {
    const t = tf.ones([64, 64]);
    await restartWasm(setThreadsCount, 1);
    expect(sweepRetiredWasm()).toBe(1);
    t.dispose();
    expect(sweepRetiredWasm()).toBe(0);
  });

  it('many restarts with nothing live leave no retired instance and no tensor behind', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      await restartWasm(setThreadsCount, 1);
      const s = tf.tidy(() => tf.sum(tf.range(0, 10)));
      expect(take(s)).toEqual([45]);
      s.dispose();
    }
    expect(sweepRetiredWasm()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
