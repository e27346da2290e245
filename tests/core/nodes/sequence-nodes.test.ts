import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamValue } from '../../../core/graph/model';
import { bagOfWordsNode } from '../../../core/nodes/bag-of-words';
import type { AnyNodeDef, Binding, BuildResult } from '../../../core/nodes/define';
import { gruNode } from '../../../core/nodes/gru';
import { lastTokenNode } from '../../../core/nodes/last-token';
import { lstmNode } from '../../../core/nodes/lstm';
import { maxPoolNode } from '../../../core/nodes/max-pool';
import { meanPoolNode } from '../../../core/nodes/mean-pool';
import { positionalEncodingNode } from '../../../core/nodes/positional-encoding';
import { selfAttentionNode } from '../../../core/nodes/self-attention';
import { simpleRnnNode } from '../../../core/nodes/simple-rnn';
import { transformerBlockNode } from '../../../core/nodes/transformer-block';
import { defaultParams } from '../../../core/params/spec';
import { ShapeError, type PortValue } from '../../../core/nodes/shape';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T = 7;
const D = 12;
const binding: Binding = { vocabSize: 23, numClasses: 3 };
const V = binding.vocabSize;
const seq = (t = T, d = D): PortValue => ({ type: 'sequence', shape: [t, d] });

function args(def: AnyNodeDef, params: Record<string, ParamValue>, input: PortValue) {
  return { inputs: { in: input }, params: { ...defaultParams(def.params), ...params }, binding, nodesOfType: () => [] };
}

/** tokens (B, T) -> tf.layers.embedding (V, D) -> the node, as the compiler wires it. */
function buildAfterEmbedding(
  def: AnyNodeDef,
  params: Record<string, ParamValue>,
): BuildResult & { model: tf.LayersModel } {
  const tokens = tf.input({ shape: [T], dtype: 'int32', name: 'tokens' });
  const emb = tf.layers.embedding({ inputDim: V, outputDim: D }).apply(tokens);
  if (!(emb instanceof tf.SymbolicTensor)) throw new Error('embedding gave no symbolic tensor');
  const input = def.inputs.in?.includes('tokens') ? tokens : emb;
  const a = args(def, params, seq());
  const built = def.build({
    inputs: { in: input },
    params: a.params,
    binding,
    tokens,
    name: 'node',
    layerOf: () => undefined,
    nodesOfType: () => [],
  });
  return { ...built, model: tf.model({ inputs: tokens, outputs: built.out }) };
}

const attention = 4 * D * D + 4 * D;
// [label, def, params, expected shape, trainable params computed by hand]
const cases: [string, AnyNodeDef, Record<string, ParamValue>, number[], number][] = [
  ['PositionalEncoding learned', positionalEncodingNode, {}, [T, D], T * D],
  ['PositionalEncoding sinusoidal', positionalEncodingNode, { kind: 'sinusoidal' }, [T, D], 0],
  ['BagOfWords', bagOfWordsNode, { mode: 'binary' }, [V], 0],
  ['MeanPool', meanPoolNode, {}, [D], 0],
  ['MaxPool', maxPoolNode, {}, [D], 0],
  ['LastToken', lastTokenNode, {}, [D], 0],
  ['SimpleRNN sequences', simpleRnnNode, { units: 5 }, [T, 5], 5 * (D + 5 + 1)],
  ['LSTM last state', lstmNode, { units: 5, returnSequences: false }, [5], 4 * 5 * (D + 5 + 1)],
  ['GRU bidirectional', gruNode, { units: 5, bidirectional: true }, [T, 10], 2 * 3 * 5 * (D + 5 + 1)],
  [
    'LSTM bidirectional last state',
    lstmNode,
    { units: 3, returnSequences: false, bidirectional: true },
    [6],
    2 * 4 * 3 * (D + 3 + 1),
  ],
  ['SelfAttention', selfAttentionNode, { heads: 3 }, [T, D], attention],
  ['TransformerBlock', transformerBlockNode, {}, [T, D], attention + 2 * D * 4 * D + 4 * D + D + 4 * D],
  [
    'TransformerBlock post-norm ff 2',
    transformerBlockNode,
    { heads: 2, ffMultiplier: 2, norm: 'post' },
    [T, D],
    attention + 2 * D * 2 * D + 2 * D + D + 4 * D,
  ],
];

describe('sequence node types agree with tf.js', () => {
  it.each(cases)('%s: inferred shape and parameter count equal what tf.js builds', (_, def, params, shape, count) => {
    const a = args(def, params, def.inputs.in?.includes('tokens') ? { type: 'tokens', shape: [T] } : seq());
    const out = def.infer(a);
    const cost = def.cost({ ...a, out });
    const built = buildAfterEmbedding(def, params);
    expect(out.shape).toEqual(shape);
    expect(built.model.outputs[0]?.shape).toEqual([null, ...shape]);
    expect(cost.params).toBe(count);
    expect(built.layer?.countParams() ?? 0).toBe(count);
    expect(built.model.countParams()).toBe((def.inputs.in?.includes('tokens') ? 0 : V * D) + count); // BagOfWords bypasses the embedding
    const y = built.model.predict(tf.tensor2d([[3, 1, 4, 1, 5, 0, 0]], [1, T], 'int32'));
    if (Array.isArray(y)) throw new Error('one output expected');
    expect(y.shape).toEqual([1, ...shape]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it.each([
    ['SelfAttention', selfAttentionNode, 3],
    ['TransformerBlock', transformerBlockNode, 4],
  ] as const)('%s also exposes its attention probabilities (B, heads, T, T)', (_, def, heads) => {
    const built = buildAfterEmbedding(def, { heads });
    expect(built.attention?.shape).toEqual([null, heads, T, T]);
  });
});

describe('shape errors name the numbers', () => {
  const infer =
    (def: AnyNodeDef, input: PortValue, params: Record<string, ParamValue> = {}) =>
    () =>
      def.infer(args(def, params, input));
  const refusals: [AnyNodeDef, PortValue, Record<string, ParamValue>, string][] = [
    [transformerBlockNode, seq(64, 130), { heads: 4 }, 'TransformerBlock: dim 130 is not divisible by heads 4'],
    [selfAttentionNode, seq(64, 30), { heads: 4 }, 'SelfAttention: dim 30 is not divisible by heads 4'],
    [lstmNode, { type: 'vector', shape: [16] }, {}, 'LSTM: expected a sequence [T, D], got vector [16]'],
    [meanPoolNode, { type: 'tokens', shape: [64] }, {}, 'MeanPool: expected a sequence [T, D], got tokens [64]'],
    [bagOfWordsNode, seq(64, 8), {}, 'BagOfWords: expected token ids [T], got sequence [64, 8]'],
    [
      positionalEncodingNode,
      { type: 'vector', shape: [8] },
      {},
      'PositionalEncoding: expected a sequence [T, D], got vector [8]',
    ],
  ];
  it.each(refusals.map(([def, input, params, message]) => [message, def, input, params] as const))(
    '%s',
    (message, def, input, params) => {
      expect(infer(def, input, params)).toThrow(new ShapeError('in', message));
    },
  );
});

describe('cost as a function of T', () => {
  const cost = (def: AnyNodeDef, t: number, params: Record<string, ParamValue> = {}) => {
    const a = args(def, params, seq(t, 64));
    return def.cost({ ...a, out: def.infer(a) });
  };
  it.each([selfAttentionNode, transformerBlockNode])(
    '$type: FLOPs per token grow with T and activations grow faster than T (the T² scores)',
    (def) => {
      expect(cost(def, 256).flopsPerToken).toBeGreaterThan(cost(def, 128).flopsPerToken);
      expect(cost(def, 256).activations).toBeGreaterThan(2 * cost(def, 128).activations);
      expect(cost(def, 256).params).toBe(cost(def, 128).params);
    },
  );
  it.each([simpleRnnNode, lstmNode, gruNode])(
    '$type: FLOPs per token do not depend on T and activations are linear in T',
    (def) => {
      expect(cost(def, 256).flopsPerToken).toBe(cost(def, 128).flopsPerToken);
      expect(cost(def, 256).activations).toBe(2 * cost(def, 128).activations);
    },
  );
  it('learned positions cost T × D parameters, sinusoidal none', () => {
    expect(cost(positionalEncodingNode, 100).params).toBe(6400);
    expect(cost(positionalEncodingNode, 100, { kind: 'sinusoidal' }).params).toBe(0);
  });
});
