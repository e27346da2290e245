import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nodeWasmThreads, startNodeBackend } from '../../../core/host-node/backend';
import { isWasmBackend } from '../../../core/kernels/backend-access';
import { helperClaims, ownGemmSplits } from '../../../core/kernels/own-gemm-threads';
import { ownWasmHeap } from '../../../core/kernels/own-wasm';
import { seededValues } from '../kernels/helpers';

/** The heap our kernels run on, on the wasm backend in use. */
function heap(): object {
  const engine: unknown = tf.engine().backend;
  if (!isWasmBackend(engine)) throw new Error('wasm is not the backend in use');
  const memory = ownWasmHeap(engine);
  if (memory === undefined) throw new Error('our kernels do not run on this heap');
  return memory;
}

/** `run` once per attempt until a helper has claimed part of its work (a helper may wake late); true if one did. */
async function untilHelped(run: () => Promise<void>): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const claims = helperClaims(heap());
    await run();
    if (helperClaims(heap()) > claims) return true;
  }
  return false;
}

describe('wasm on threads in Node', () => {
  // One process starts one wasm build, so this file checks the threaded one throughout, in order.
  it('starts tf.js on its threaded build, with a shared heap and our GEMM on 2 threads', async () => {
    expect(await startNodeBackend('wasm', { threads: 2 })).toBe('wasm');
    expect(Reflect.get(heap(), 'buffer')).toBeInstanceOf(SharedArrayBuffer);
    expect(nodeWasmThreads()).toBe(2);
  }, 60_000);

  it('splits a big product over the helper and gives one thread’s result bit for bit', async () => {
    const a = tf.tensor2d(seededValues(384 * 512, 1), [384, 512]);
    const b = tf.tensor2d(seededValues(512 * 256, 2), [512, 256]);
    const product = async () => {
      const c = tf.matMul(a, b);
      const values = await c.data();
      c.dispose();
      return values;
    };
    await startNodeBackend('wasm', { threads: 1 });
    expect(nodeWasmThreads()).toBe(1);
    const splitsBefore = ownGemmSplits();
    const alone = await product();
    expect(ownGemmSplits()).toBe(splitsBefore); // one thread: no split

    await startNodeBackend('wasm', { threads: 2 });
    expect(nodeWasmThreads()).toBe(2);
    let differing = -1;
    const helped = await untilHelped(async () => {
      const before = ownGemmSplits();
      const shared = await product();
      expect(ownGemmSplits()).toBeGreaterThan(before);
      differing = shared.filter((v, i) => v !== alone[i]).length;
    });
    expect(helped).toBe(true);
    expect(differing).toBe(0);
    a.dispose();
    b.dispose();
  }, 60_000);

  it('computes a loss and its gradient on 2 threads exactly as on 1, and leaves no tensor behind', async () => {
    const step = (seed: number): { loss: number; grad: Float32Array } => {
      const w = tf.tidy(() => tf.variable(tf.tensor2d(seededValues(256 * 384, seed + 1), [256, 384])));
      const out = tf.tidy(() => {
        const x = tf.tensor2d(seededValues(96 * 256, seed), [96, 256]);
        const { value, grads } = tf.variableGrads(() => tf.matMul(x, w).relu().square().mean() as tf.Scalar, [w]);
        return { loss: value.dataSync()[0], grad: grads[w.name].dataSync() as Float32Array };
      });
      w.dispose();
      return out;
    };
    await startNodeBackend('wasm', { threads: 1 });
    const alone = step(3);
    await startNodeBackend('wasm', { threads: 2 });
    const tensors = tf.memory().numTensors;
    const shared = step(3);
    expect(shared.loss).toBe(alone.loss);
    expect(Number.isFinite(shared.loss) && shared.loss > 0).toBe(true);
    expect(shared.grad.length).toBe(256 * 384);
    expect(shared.grad.some((g) => g !== 0)).toBe(true);
    expect(shared.grad.filter((g, i) => g !== alone.grad[i]).length).toBe(0);
    expect(tf.memory().numTensors).toBe(tensors);
  }, 60_000);
});
