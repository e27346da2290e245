import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { greedyAnswers, heldOutPairs } from '../../../core/eval/answers';
import { generate } from '../../../core/predict/generate';
import { predictorOf } from '../../../core/run/load';
import { loadDataset } from '../../../core/host-node/datasets';
import { trainRun } from '../../../core/run/session';
import { withTrainDefaults } from '../../../core/train/protocol';
import { chain, makeGraph, makeNode } from '../../builders';

const graph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 32 }, 'in'),
    makeNode('Embedding', { dim: 16 }, 'emb'),
    makeNode('PositionalEncoding', { kind: 'sinusoidal' }, 'pos'),
    makeNode('TransformerBlock', { heads: 2 }, 'block'),
    makeNode('NextTokenHead', {}, 'head'),
  ],
  chain('in', 'emb', 'pos', 'block', 'head'),
);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('greedy answers to held-out prompts', () => {
  it('the batched greedy answers equal one-by-one generation at temperature 0, and no tensor leaks', async () => {
    const data = loadDataset('instructions', { tokenizer: 'char' });
    const run = await trainRun({
      graph,
      data,
      config: withTrainDefaults({ steps: 3, batchSize: 4, evalEvery: 3, chrfPrompts: 0 }),
      backend: 'cpu',
      emit: () => {},
      yieldToHost: async () => {},
    });
    const p = predictorOf(run.manifest, data.tokenizer, run.model);
    const pairs = heldOutPairs(data, 5);
    expect(pairs).toHaveLength(5);
    // Prompts as ids (no <|sep|>), references without <|endoftext|>.
    for (const x of pairs) {
      expect(x.prompt).not.toContain(data.tokenizer.sepId);
      expect(x.reference).not.toContain(data.tokenizer.eosId);
    }
    const before = tf.memory().numTensors;
    const batched = await greedyAnswers(p, pairs.map((x) => x.prompt), 40);
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, x] of pairs.entries()) {
      let one = '';
      for await (const t of generate(p, data.tokenizer.decode(x.prompt), { tokens: 40, temperature: 0, topK: 0 })) one += t;
      expect(data.tokenizer.decode(batched[i])).toBe(one);
    }
    expect(batched.some((a) => a.length > 0)).toBe(true);
    run.model.dispose();
  });
});
