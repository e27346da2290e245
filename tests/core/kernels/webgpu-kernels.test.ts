import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWordloomKernels } from '../../../core/kernels';
import { makeChunkedAddN } from '../../../core/kernels/webgpu-addn';
import { seededValues, take, useBackend } from './helpers';

// The webgpu kernels themselves run in Chromium (tests/e2e/webgpu-kernels.spec.ts); Node has no WebGPU. Here:
// registering for webgpu without its backend is harmless, and AddN's chunking (plain kernel plumbing) is right.

describe('webgpu kernels in Node', () => {
  beforeAll(() => useBackend('cpu'));

  it('registers nothing for webgpu when tfjs-backend-webgpu is not loaded', () => {
    expect(tf.getKernel('AddN', 'webgpu')).toBeUndefined();
    expect(registerWordloomKernels('webgpu')).toEqual([]);
    expect(tf.getKernelsForBackend('webgpu')).toEqual([]);
  });

  it.each([2, 7, 8, 20, 52])('chunked AddN of %i inputs sums them all, never binding more than 7 at once', (n) => {
    const stock = tf.getKernel('AddN', 'cpu');
    const widest: number[] = [];
    const spy: tf.KernelFunc = (args) => {
      widest.push(Object.keys(args.inputs).length);
      return stock.kernelFunc(args);
    };
    // On cpu, which has no GPU device, the WebGPU minimum of 8 storage buffers per shader applies.
    tf.unregisterKernel('AddN', 'cpu');
    tf.registerKernel({ ...stock, kernelFunc: makeChunkedAddN(spy) });
    try {
      const xs = Array.from({ length: n }, (_, i) => tf.tensor1d(seededValues(33, i + 1)));
      const want = Array.from({ length: 33 }, (_, j) => xs.reduce((s, x) => s + x.dataSync()[j], 0));
      const before = tf.memory().numTensors;
      const got = take(tf.addN(xs));
      got.forEach((v, j) => expect(v).toBeCloseTo(want[j], 5));
      expect(Math.max(...widest)).toBeLessThanOrEqual(7);
      expect(widest.length > 1).toBe(n > 7); // split only when needed
      expect(tf.memory().numTensors).toBe(before); // partial sums freed; the result was taken
      tf.dispose(xs);
    } finally {
      tf.unregisterKernel('AddN', 'cpu');
      tf.registerKernel(stock);
    }
  });
});
