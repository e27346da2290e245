import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileStep } from '../../../bench/profile-step';
import { compileGraph } from '../../../core/compile/compile';
import { parseGraph } from '../../../core/graph/io';
import { startNodeBackend } from '../../../core/host-node/backend';
import { adamWFor } from '../../../core/train/optimizer';
import { withSeededRandom } from '../../../core/train/seed';
import { optimizeStep, uniqueVariables } from '../../../core/train/trainer';

/**
 * Kernel calls per training step of the Mini GPT template on wasm (issue 10's target: ≤ 600; 5,136 before the
 * fused ops, 729 before dense and the residual adds ran without reshapes). A count, not a time: it is the same on
 * every machine, so it is a test and not a benchmark. Only registered kernels count (customGrad scopes do not).
 */
describe('kernel calls per Mini GPT step (wasm)', () => {
  it('one step (forward, backward, AdamW) makes at most 600 kernel calls', async () => {
    await startNodeBackend('wasm');
    const parsed = parseGraph(JSON.parse(readFileSync('templates/mini-gpt.json', 'utf8')));
    if (!parsed.graph) throw new Error('templates/mini-gpt.json does not parse');
    const graph = parsed.graph;
    const [V, B] = [69, 12];
    const res = withSeededRandom(1, () => compileGraph(graph, { vocabSize: V, numClasses: 2 }));
    if (!res.ok) throw new Error('Mini GPT did not compile');
    const T = res.model.inputs[0].shape[1] as number;
    const vars = uniqueVariables(res.model);
    const opt = adamWFor({ weightDecay: 0.01, gradClip: 1 });
    const batch = {
      batchSize: B,
      seqLen: T,
      tokens: Int32Array.from({ length: B * T }, (_, i) => 1 + (i % (V - 1))),
      targets: Int32Array.from({ length: B * T }, (_, i) => 1 + ((i * 7) % (V - 1))),
      weights: new Float32Array(B * T).fill(1),
    };
    const step = async (): Promise<void> => {
      const loss = optimizeStep((x) => res.model.apply(x, { training: true }) as tf.Tensor, vars, opt, batch, 1e-3);
      await loss.data();
      loss.dispose();
    };
    await step(); // optimizer slots and XNNPACK operators are made on the first step
    const before = tf.memory().numTensors;
    const p = await profileStep(step);
    expect(p.kernels).toBeGreaterThan(100); // the profile saw a real step
    expect(p.kernels).toBeLessThanOrEqual(600);
    expect(p.byKind['_FusedMatMul']?.calls).toBe(16); // 4 blocks × (qkv, out, fc1, fc2): one call each
    expect(tf.memory().numTensors).toBe(before);
    res.model.dispose();
  }, 120_000);
});
