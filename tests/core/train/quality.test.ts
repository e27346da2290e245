import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../core/host-node/backend';
import { loadDataset } from '../../../core/host-node/datasets';
import { trainRun } from '../../../core/run/session';
import { withTrainDefaults, type TrainEvent } from '../../../core/train/protocol';
import { makeGraph, makeNode } from '../../builders';
import * as tf from '@tensorflow/tfjs';

// Real data, fixed seeds, a few hundred steps at most: each model must clear a stated bar.
// Runs on the wasm backend with Wordloom's kernels (Embedding gradients need them there).

beforeAll(async () => {
  await startNodeBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

async function train(graph: ReturnType<typeof makeGraph>, data: string, tokenizer: string, config: Parameters<typeof withTrainDefaults>[0]) {
  const prepared = loadDataset(data, { tokenizer });
  const evals: Extract<TrainEvent, { event: 'eval' }>[] = [];
  const run = await trainRun({
    graph,
    data: prepared,
    backend: 'wasm',
    config: withTrainDefaults(config),
    emit: (e) => e.event === 'eval' && evals.push(e),
    yieldToHost: async () => {},
  });
  run.model.dispose();
  return { evals, result: run.manifest.result! };
}

describe('training on the bundled data', () => {
  it('a GPT from the catalog, char tokens on Shakespeare, reaches validation loss < 2.6', async () => {
    const graph = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 32 }, 'in'),
        makeNode('Embedding', { dim: 64 }, 'emb'),
        makeNode('PositionalEncoding', { kind: 'learned' }, 'pos'),
        makeNode('TransformerBlock', { heads: 4 }, 'block'),
        makeNode('LayerNorm', {}, 'ln'),
        makeNode('NextTokenHead', { tieEmbedding: true }, 'head'),
      ],
      [['in', 'emb'], ['emb', 'pos'], ['pos', 'block'], ['block', 'ln'], ['ln', 'head']],
    );
    const { evals, result } = await train(graph, 'shakespeare', 'char', { steps: 150, batchSize: 32, learningRate: 5e-3, warmupSteps: 10, evalEvery: 50, seed: 1 });
    expect(evals[0].valLoss).toBeGreaterThan(result.valLoss);
    expect(result.valLoss).toBeLessThan(2.6);
  }, 180_000);

  it('the embedding-bag classifier reaches validation accuracy > 0.70 on sentiment', async () => {
    const graph = makeGraph(
      [makeNode('TokenInput', { seqLen: 100 }, 'in'), makeNode('Embedding', { dim: 64 }, 'emb'), makeNode('MeanPool', {}, 'pool'), makeNode('ClassifierHead', {}, 'head')],
      [['in', 'emb'], ['emb', 'pool'], ['pool', 'head']],
    );
    const { result } = await train(graph, 'sentiment', 'word', { steps: 150, batchSize: 32, learningRate: 1e-2, warmupSteps: 10, evalEvery: 50, evalBatches: 10, seed: 1 });
    expect(result.valAccuracy).toBeGreaterThan(0.7);
  }, 120_000);

  it('the LSTM tagger reaches token accuracy > 0.80 on POS', async () => {
    const graph = makeGraph(
      [makeNode('TokenInput', { seqLen: 32 }, 'in'), makeNode('Embedding', { dim: 64 }, 'emb'), makeNode('LSTM', { units: 64, returnSequences: true }, 'lstm'), makeNode('TaggerHead', {}, 'head')],
      [['in', 'emb'], ['emb', 'lstm'], ['lstm', 'head']],
    );
    const { result } = await train(graph, 'pos', 'word', { steps: 80, batchSize: 32, learningRate: 2e-2, warmupSteps: 10, evalEvery: 40, seed: 1 });
    expect(result.valAccuracy).toBeGreaterThan(0.8);
  }, 120_000);
});
