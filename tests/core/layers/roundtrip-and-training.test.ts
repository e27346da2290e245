import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BagOfWords,
  LastToken,
  MaskedMaxPool,
  MaskedMeanPool,
  MaskedRNN,
  MultiHeadSelfAttention,
  PositionalEncoding,
  TransformerBlock,
} from '../../../core/layers/index';
import { registerCustomLayers } from '../../../core/nodes/index';
import { ids, maxAbsDiff, roundTrip, run, sym, syms } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
  registerCustomLayers(); // idempotent
});

const V = 16;
const T = 6;
const D = 8;
const CLASSES = 3;

type Maker = (tokens: tf.SymbolicTensor, x: tf.SymbolicTensor) => { layer: tf.layers.Layer; out: tf.SymbolicTensor };
const pooled = (layer: tf.layers.Layer, out: tf.SymbolicTensor, tokens: tf.SymbolicTensor) => ({
  layer,
  out: out.shape.length === 3 ? sym(new MaskedMeanPool({}).apply([out, tokens])) : out,
});

/** Each custom layer in a tiny classifier: tokens -> embedding -> layer (-> mean pool) -> dense. */
const makers: [string, Maker][] = [
  [
    'PositionalEncoding learned',
    (t, x) => {
      const l = new PositionalEncoding({ kind: 'learned' });
      return pooled(l, sym(l.apply(x)), t);
    },
  ],
  [
    'PositionalEncoding sinusoidal',
    (t, x) => {
      const l = new PositionalEncoding({ kind: 'sinusoidal' });
      return pooled(l, sym(l.apply(x)), t);
    },
  ],
  [
    'MultiHeadSelfAttention',
    (t, x) => {
      const l = new MultiHeadSelfAttention({ numHeads: 2, causal: true });
      return pooled(l, sym(l.apply([x, t])), t);
    },
  ],
  [
    'TransformerBlock post-norm',
    (t, x) => {
      const l = new TransformerBlock({ numHeads: 2, ffMultiplier: 2, causal: false, norm: 'post' });
      return pooled(l, sym(l.apply([x, t])), t);
    },
  ],
  [
    'MaskedMeanPool',
    (t, x) => {
      const l = new MaskedMeanPool({});
      return { layer: l, out: sym(l.apply([x, t])) };
    },
  ],
  [
    'MaskedMaxPool',
    (t, x) => {
      const l = new MaskedMaxPool({});
      return { layer: l, out: sym(l.apply([x, t])) };
    },
  ],
  [
    'LastToken',
    (t, x) => {
      const l = new LastToken({});
      return { layer: l, out: sym(l.apply([x, t])) };
    },
  ],
  [
    'BagOfWords',
    (t) => {
      const l = new BagOfWords({ vocabSize: V, binary: false });
      return { layer: l, out: sym(l.apply(t)) };
    },
  ],
  [
    'MaskedRNN lstm bidirectional',
    (t, x) => {
      const l = new MaskedRNN({ cell: 'lstm', units: 4, returnSequences: false, bidirectional: true });
      return { layer: l, out: sym(l.apply([x, t])) };
    },
  ],
  [
    'MaskedRNN gru sequences',
    (t, x) => {
      const l = new MaskedRNN({ cell: 'gru', units: 4, returnSequences: true, bidirectional: false });
      return pooled(l, sym(l.apply([x, t])), t);
    },
  ],
  [
    'MaskedRNN rnn',
    (t, x) => {
      const l = new MaskedRNN({ cell: 'rnn', units: 4, returnSequences: false, bidirectional: false });
      return { layer: l, out: sym(l.apply([x, t])) };
    },
  ],
];

function classifier(make: Maker): { model: tf.LayersModel; layer: tf.layers.Layer; embedding: tf.layers.Layer } {
  const tokens = tf.input({ shape: [T], dtype: 'int32' });
  const embedding = tf.layers.embedding({ inputDim: V, outputDim: D });
  const { layer, out } = make(tokens, sym(embedding.apply(tokens)));
  const probs = sym(tf.layers.dense({ units: CLASSES, activation: 'softmax' }).apply(out));
  return { model: tf.model({ inputs: tokens, outputs: probs }), layer, embedding };
}

const batch = [
  [3, 9, 1, 4, 0, 0],
  [12, 5, 5, 7, 2, 8],
  [6, 0, 0, 0, 0, 0],
  [15, 14, 13, 1, 2, 0],
  [2, 4, 6, 8, 10, 12],
  [11, 3, 0, 0, 0, 0],
];
const labels = [0, 1, 2, 1, 0, 2];

describe.each(makers)('%s', (_, make) => {
  it('save -> load gives identical outputs', async () => {
    const { model, layer } = classifier(make);
    const before = run(model, ids(batch));
    const loaded = await roundTrip(model);
    const twin = loaded.getLayer(layer.name);
    expect(twin.getClassName()).toBe(layer.getClassName());
    expect(twin.countParams()).toBe(layer.countParams());
    expect(maxAbsDiff(run(loaded, ids(batch)), before)).toBeLessThan(1e-6);
  });

  it('trains: a few optimizer steps lower the loss and gradients reach the weights before it', async () => {
    const { model, layer, embedding } = classifier(make);
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
    // Weights upstream of the layer (the embedding) only move if gradients flow through it; BagOfWords has none upstream.
    const watched = layer.countParams() > 0 ? layer : embedding;
    const start = watched.getWeights().map((w) => w.clone());
    const history = await model.fit(ids(batch), tf.tensor1d(labels, 'float32'), {
      epochs: 12,
      batchSize: batch.length,
      verbose: 0,
    });
    const losses = history.history.loss?.map(Number) ?? [];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1) ?? Infinity).toBeLessThan((losses[0] ?? 0) * 0.6);
    const moved = watched.getWeights().some((w, i) => {
      const s = start[i];
      return s !== undefined && maxAbsDiff(w, s) > 1e-4;
    });
    if (make !== makers.find(([n]) => n === 'BagOfWords')?.[1]) expect(moved).toBe(true);
  });
});

describe('multi-output layers survive a round trip with both outputs', () => {
  it('TransformerBlock [y, probs]', async () => {
    const tokens = tf.input({ shape: [T], dtype: 'int32' });
    const x = sym(tf.layers.embedding({ inputDim: V, outputDim: D }).apply(tokens));
    const outs = syms(new TransformerBlock({ numHeads: 2, ffMultiplier: 2, causal: true }).apply([x, tokens]));
    const model = tf.model({ inputs: tokens, outputs: outs });
    const loaded = await roundTrip(model);
    const a = model.predict(ids(batch));
    const b = loaded.predict(ids(batch));
    if (!Array.isArray(a) || !Array.isArray(b) || !a[1] || !b[1]) throw new Error('expected two outputs');
    expect(b[1].shape).toEqual([batch.length, 2, T, T]);
    expect(maxAbsDiff(a[1], b[1])).toBeLessThan(1e-6);
  });
});
