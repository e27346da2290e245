import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef } from '../../../core/nodes/index';
import { makeGraph, makeNode } from '../../builders';
import { expectSameLogits } from '../export/pytorch/equivalence';
import { NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from '../export/pytorch/helpers';
import { maxAbsDiff } from '../layers/helpers';
import { buildNode } from './build-node';

afterAll(removeTempDirs);
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const def = getNodeDef('SwiGLU');
if (!def) throw new Error('SwiGLU is not registered');

describe('SwiGLU feed-forward', () => {
  it('computes down(silu(x·Wg) ⊙ x·Wu) with 3·D·H weights and no biases', () => {
    const b = buildNode(def, { params: { hidden: 24 } });
    expect(b.model.countParams()).toBe(3 * 16 * 24);
    expect(b.params).toBe(3 * 16 * 24);
    const kernel = (part: string): tf.Tensor => {
      const w = b.model.getLayer(`node_${part}`).getWeights();
      expect(w).toHaveLength(1); // a kernel, no bias
      return w[0] as tf.Tensor;
    };
    const x = tf.randomNormal([2, 8, 16], 0, 1, 'float32', 3);
    const y = b.model.predict([tf.ones([2, 8], 'int32'), x]) as tf.Tensor;
    const g = tf.matMul(x.reshape([16, 16]), kernel('gate'));
    const silu = tf.mul(g, tf.sigmoid(g));
    const expected = tf.matMul(tf.mul(silu, tf.matMul(x.reshape([16, 16]), kernel('up'))), kernel('down'));
    expect(maxAbsDiff(y.reshape([16, 16]), expected)).toBeLessThan(1e-5);
  });

  it('refuses a vector input, naming the node type and the shape', () => {
    expect(() =>
      def.infer({
        inputs: { in: { type: 'vector', shape: [16] } },
        params: { hidden: 8 },
        binding: { vocabSize: 9, numClasses: 2 },
        nodesOfType: () => [],
      }),
    ).toThrow('SwiGLU: expected a sequence [T, D], got vector [16]');
  });

  it.skipIf(!TORCH_PY)(`model.py matches tf.js within 1e-4 in a residual LM${NEEDS_TORCH}`, async () => {
    const graph = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 10 }, 'in'),
        makeNode('Embedding', { dim: 16 }, 'emb'),
        makeNode('SwiGLU', { hidden: 40 }, 'ff'),
        makeNode('Add', {}, 'res'),
        makeNode('SwiGLU', { hidden: 8 }, 'ff_gate'), // its layers would clash with ff's: compile renames
        makeNode('NextTokenHead', { tieEmbedding: true }, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'ff'],
        ['emb', 'res.a'],
        ['ff', 'res.b'],
        ['res', 'ff_gate'],
        ['ff_gate', 'head'],
      ],
      'SwiGLU LM',
    );
    await expectSameLogits(runFromGraph(graph, { vocabSize: 30, numClasses: 2 }));
  });
});
