import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { profileStep, templateStep } from '../../../bench/profile-step';
import { startNodeBackend } from '../../../core/host-node/backend';

/**
 * Kernel calls per training step of the Mini GPT template on wasm (issue 10's target: ≤ 600; 5,136 before the
 * fused ops, 729 before dense and the residual adds ran without reshapes). A count, not a time: it is the same on
 * every machine, so it is a test and not a benchmark. Only registered kernels count (customGrad scopes do not).
 */
describe('kernel calls per Mini GPT step (wasm)', () => {
  it('one step (forward, backward, AdamW) makes at most 600 kernel calls, its products as many multiply-adds as counted by hand', async () => {
    await startNodeBackend('wasm');
    const { step, dispose } = templateStep('gpt');
    await step(); // optimizer slots and XNNPACK operators are made on the first step
    const before = tf.memory().numTensors;
    const p = await profileStep(step);
    expect(p.kernels).toBeGreaterThan(100); // the profile saw a real step
    expect(p.kernels).toBeLessThanOrEqual(600);
    expect(p.byKind['_FusedMatMul']?.calls).toBe(16); // 4 blocks × (qkv, out, fc1, fc2): one call each
    // The products' multiply-adds, counted by hand for B 12, T 64, D 128, 4 heads, 4 blocks, V 69: per block
    // the dense layers (qkv, out, fc1, fc2) and attention's two batched products (inside WordloomAttention on
    // wasm, counted by profileStep); the head; the backward runs
    // each dense product twice (input and weight gradients) and attention's four times (dv, dP, dq, dk).
    const [N, D, H, T, V] = [12 * 64, 128, 4, 64, 69];
    const dense = N * D * (3 * D) + N * D * D + N * D * (4 * D) + N * (4 * D) * D;
    const attention = 12 * H * T * T * (D / H);
    const forward = 4 * (dense + 2 * attention) + N * D * V;
    expect(p.matmulMacs).toBe(forward + 2 * (4 * dense + N * D * V) + 4 * 4 * attention);
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  }, 120_000);
});
