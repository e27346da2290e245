import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import { makeGraph, makeNode } from '../../../builders';
import { expectSameLogits } from './equivalence';
import { NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from './helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding = { vocabSize: 40, numClasses: 3 };

/**
 * Every sequence block once, wired with residuals and a concat, under awkward ids: `in` and `type` are Python
 * keywords, `forward` an nn.Module method, `my dense` has a space, and `ff` / `ff_up` clash as tf.js layer names.
 */
const sequenceGraph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 12 }, 'in'),
    makeNode('Embedding', { dim: 16 }, 'type'),
    makeNode('PositionalEncoding', { kind: 'sinusoidal' }, 'pos'),
    makeNode('SelfAttention', { heads: 2, causal: true, dropout: 0.1 }, 'forward'),
    makeNode('Add', {}, 'res'),
    makeNode('FeedForward', { hidden: 24, activation: 'relu' }, 'ff'),
    makeNode('TransformerBlock', { heads: 4, ffMultiplier: 2, causal: false, dropout: 0, norm: 'post' }, 'ff_up'),
    makeNode('Dropout', { rate: 0.2 }, 'drop'),
    makeNode('Dense', { units: 16, activation: 'tanh' }, 'my dense'),
    makeNode('Concat', {}, 'cat'),
    makeNode('Dense', { units: 20, activation: 'gelu' }, 'mix'),
    makeNode('LayerNorm', {}, 'ln'),
    makeNode('NextTokenHead', { tieEmbedding: false }, 'head'),
  ],
  [
    ['in', 'type'],
    ['type', 'pos'],
    ['pos', 'forward'],
    ['pos', 'res.a'],
    ['forward', 'res.b'],
    ['res', 'ff'],
    ['ff', 'ff_up'],
    ['ff_up', 'drop'],
    ['drop', 'my dense'],
    ['my dense', 'cat.a'],
    ['ff', 'cat.b'],
    ['cat', 'mix'],
    ['mix', 'ln'],
    ['ln', 'head'],
  ],
  'Every sequence block',
);

/** Every vector path into a classifier: recurrent cells both ways, the three pools and a bag of words. */
const vectorGraph = makeGraph(
  [
    makeNode('TokenInput', { seqLen: 10 }, 'in'),
    makeNode('Embedding', { dim: 8 }, 'emb'),
    makeNode('GRU', { units: 6, returnSequences: true, bidirectional: true }, 'gru'),
    makeNode('MaxPool', {}, 'max'),
    makeNode('LastToken', {}, 'last'),
    makeNode('SimpleRNN', { units: 5, returnSequences: false, bidirectional: true }, 'rnn'),
    makeNode('LSTM', { units: 4, returnSequences: false, bidirectional: false }, 'lstm'),
    makeNode('BagOfWords', { mode: 'binary' }, 'bow'),
    makeNode('Dense', { units: 12, activation: 'linear' }, 'bow_dense'),
    makeNode('Concat', {}, 'c1'),
    makeNode('Concat', {}, 'c2'),
    makeNode('Concat', {}, 'c3'),
    makeNode('Concat', {}, 'c4'),
    makeNode('ClassifierHead', {}, 'head'),
  ],
  [
    ['in', 'emb'],
    ['emb', 'gru'],
    ['gru', 'max'],
    ['gru', 'last'],
    ['emb', 'rnn'],
    ['emb', 'lstm'],
    ['in', 'bow'],
    ['bow', 'bow_dense'],
    ['max', 'c1.a'],
    ['last', 'c1.b'],
    ['c1', 'c2.a'],
    ['rnn', 'c2.b'],
    ['c2', 'c3.a'],
    ['lstm', 'c3.b'],
    ['c3', 'c4.a'],
    ['bow_dense', 'c4.b'],
    ['c4', 'head'],
  ],
  'Every vector block',
);

const text = (files: Record<string, Uint8Array>, name: string): string => new TextDecoder().decode(files[name]);

describe('PyTorch export of graphs that use every node type', () => {
  it('turns awkward node ids into safe Python names and finds renamed tf.js layers', async () => {
    const py = text(await exportPytorch(runFromGraph(sequenceGraph, binding)), 'model.py');
    expect(py).toContain('self.type_ = nn.Embedding(V, 16)  # Embedding "type"');
    expect(py).toContain('self.forward_ = SelfAttention(16, heads=2, causal=True, dropout=0.1)');
    expect(py).toContain('self.my_dense = nn.Linear(16, 16)  # Dense "my dense"');
    expect(py).toContain('my_dense = torch.tanh(self.my_dense(drop))  # (B, T, 16)');
    expect(py).toContain('res = pos + forward_  # (B, T, 16)');
    expect(py).toContain('cat = torch.cat([my_dense, ff], dim=-1)  # (B, T, 32)');
    expect(py).toContain(
      'self.ff_up = TransformerBlock(16, heads=4, ff_mult=2, causal=False, dropout=0.0, norm="post")',
    );
    expect(py).toContain('type_ = self.type_(tokens)');
    expect(py).not.toMatch(/^\s+in = /m);
  });

  it.skipIf(!TORCH_PY)(`a graph of every sequence block matches tf.js within 1e-4${NEEDS_TORCH}`, async () => {
    await expectSameLogits(runFromGraph(sequenceGraph, binding));
  });

  it.skipIf(!TORCH_PY)(
    `a classifier over every recurrent cell, pool and a binary bag of words matches tf.js within 1e-4${NEEDS_TORCH}`,
    async () => {
      await expectSameLogits(runFromGraph(vectorGraph, binding, { gain: 1.5 }), 6);
    },
  );

  it('leaves out nodes that do not feed the head', async () => {
    const extra = makeGraph(
      [...vectorGraph.nodes, makeNode('Dense', { units: 3 }, 'dangling')],
      [...vectorGraph.edges.map((e) => [`${e.from.node}`, `${e.to.node}.${e.to.port}`] as const), ['c4', 'dangling']],
    );
    const py = text(await exportPytorch(runFromGraph(extra, binding)), 'model.py');
    expect(py).not.toContain('dangling');
  });
});
