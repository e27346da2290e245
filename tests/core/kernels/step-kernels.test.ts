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
  it('one step (forward, backward, AdamW) makes at most 600 kernel calls', async () => {
    await startNodeBackend('wasm');
    const { step, dispose } = templateStep('gpt');
    await step(); // optimizer slots and XNNPACK operators are made on the first step
    const before = tf.memory().numTensors;
    const p = await profileStep(step);
    expect(p.kernels).toBeGreaterThan(100); // the profile saw a real step
    expect(p.kernels).toBeLessThanOrEqual(600);
    expect(p.byKind['_FusedMatMul']?.calls).toBe(16); // 4 blocks × (qkv, out, fc1, fc2): one call each
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  }, 120_000);
});
