import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamValue } from '../../../core/graph/model';
import { addNode } from '../../../core/nodes/add';
import { classifierHeadNode } from '../../../core/nodes/classifier-head';
import { concatNode } from '../../../core/nodes/concat';
import type { AnyNodeDef } from '../../../core/nodes/define';
import { denseNode } from '../../../core/nodes/dense';
import { dropoutNode } from '../../../core/nodes/dropout';
import { embeddingNode } from '../../../core/nodes/embedding';
import { feedForwardNode } from '../../../core/nodes/feed-forward';
import { layerNormNode } from '../../../core/nodes/layer-norm';
import { nextTokenHeadNode } from '../../../core/nodes/next-token-head';
import { taggerHeadNode } from '../../../core/nodes/tagger-head';
import { tokenInputNode } from '../../../core/nodes/token-input';
import { ShapeError, type PortValue } from '../../../core/nodes/shape';
import { BINDING, D, T, buildNode, runNode } from './build-node';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (d: number, t = T): PortValue => ({ type: 'sequence', shape: [t, d] });
const vec = (d: number): PortValue => ({ type: 'vector', shape: [d] });
const V = BINDING.vocabSize;
const C = BINDING.numClasses;

// [name, def, params, inputs, expected shape, expected trainable params]
const cases: [
  string,
  AnyNodeDef,
  Record<string, ParamValue>,
  Record<string, PortValue> | undefined,
  number[],
  number,
][] = [
  ['TokenInput', tokenInputNode, { seqLen: T }, undefined, [T], 0],
  ['Embedding', embeddingNode, { dim: 12 }, undefined, [T, 12], V * 12],
  ['Dense on a sequence', denseNode, { units: 10, activation: 'gelu' }, { in: seq(D) }, [T, 10], D * 10 + 10],
  ['Dense on a vector', denseNode, { units: 7, activation: 'tanh' }, { in: vec(5) }, [7], 5 * 7 + 7],
  ['FeedForward', feedForwardNode, { hidden: 24 }, undefined, [T, D], D * 24 + 24 + 24 * D + D],
  ['LayerNorm', layerNormNode, {}, { in: seq(6) }, [T, 6], 12],
  ['Dropout', dropoutNode, { rate: 0.3 }, { in: vec(9) }, [9], 0],
  ['Add', addNode, {}, { a: seq(5), b: seq(5) }, [T, 5], 0],
  ['Concat of sequences', concatNode, {}, { a: seq(5), b: seq(3) }, [T, 8], 0],
  ['Concat of vectors', concatNode, {}, { a: vec(4), b: vec(6) }, [10], 0],
  ['NextTokenHead', nextTokenHeadNode, {}, { in: seq(D) }, [T, V], D * V + V],
  ['ClassifierHead', classifierHeadNode, {}, { in: vec(D) }, [C], D * C + C],
  ['TaggerHead', taggerHeadNode, {}, { in: seq(D) }, [T, C], D * C + C],
];

describe('basic node types agree with tf.js', () => {
  it.each(cases)(
    '%s: inferred shape and parameter count equal the built layer',
    (_, def, params, inputs, shape, count) => {
      const b = buildNode(def, { params, inputs });
      expect(b.out.shape).toEqual(shape);
      expect(b.tfShape).toEqual(shape);
      expect(b.params).toBe(count);
      expect(b.model.countParams()).toBe(count);
      const y = runNode(b.model);
      expect(y.shape).toEqual([2, ...shape]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    },
  );

  it('Dense gelu matches x·Φ(x) on known numbers', () => {
    const b = buildNode(denseNode, { params: { units: 1, activation: 'gelu' }, inputs: { in: vec(1) } });
    b.model.getLayer('node').setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
    const x = tf.tensor2d([[-1], [0], [1], [2]]);
    const y = b.model.predict([tf.zeros([4, T], 'int32'), x]);
    if (Array.isArray(y)) throw new Error('one output expected');
    // GELU(x) = x·Φ(x): Φ(-1)=0.158655, Φ(1)=0.841345, Φ(2)=0.977250
    expect(Array.from(y.dataSync())).toEqual([
      expect.closeTo(-0.158655, 5),
      expect.closeTo(0, 5),
      expect.closeTo(0.841345, 5),
      expect.closeTo(1.9545, 4),
    ]);
  });
});

describe('shape errors name the numbers', () => {
  const infer =
    (def: AnyNodeDef, inputs: Record<string, PortValue>, params: Record<string, ParamValue> = {}) =>
    () =>
      buildNode(def, { inputs, params });

  it('Add refuses two different shapes, naming both', () => {
    expect(infer(addNode, { a: seq(128, 64), b: seq(64, 64) })).toThrow(
      new ShapeError('b', 'Add: a is [64, 128] but b is [64, 64]'),
    );
  });
  it('Concat refuses a sequence with a vector and sequences of different lengths', () => {
    expect(infer(concatNode, { a: seq(4), b: vec(4) })).toThrow(
      /Concat: a is a sequence \[8, 4\] but b is a vector \[4\]/,
    );
    expect(infer(concatNode, { a: seq(4, 8), b: seq(4, 6) })).toThrow(/a has 8 positions .* but b has 6/);
  });
  it('heads refuse the wrong kind of input', () => {
    expect(infer(classifierHeadNode, { in: seq(4) })).toThrow(
      /ClassifierHead: expected a vector \[D\] \(pool the sequence first\), got sequence \[8, 4\]/,
    );
    expect(infer(taggerHeadNode, { in: vec(4) })).toThrow(/TaggerHead: expected a sequence \[T, D\], got vector \[4\]/);
    expect(infer(feedForwardNode, { in: vec(4) })).toThrow(/FeedForward: expected a sequence/);
  });
  it('a tied NextTokenHead needs exactly one Embedding of the incoming width', () => {
    const tie = { tieEmbedding: true };
    expect(() => buildNode(nextTokenHeadNode, { inputs: { in: seq(D) }, params: tie })).toThrow(
      /the graph has no Embedding \(was it deleted\?\)/,
    );
    const emb = { id: 'emb', type: 'Embedding', params: { dim: 32 } };
    expect(() => buildNode(nextTokenHeadNode, { inputs: { in: seq(D) }, params: tie, others: [emb] })).toThrow(
      /Embedding "emb" dim 32 to equal the incoming width 16/,
    );
  });
  it('a tied NextTokenHead adds no parameters of its own', () => {
    const emb = { id: 'emb', type: 'Embedding', params: { dim: D } };
    const inferArgs = {
      inputs: { in: seq(D) },
      params: { tieEmbedding: true },
      binding: BINDING,
      nodesOfType: (t: string) => (t === 'Embedding' ? [emb] : []),
    };
    const out = nextTokenHeadNode.infer(inferArgs);
    expect(out).toEqual({ type: 'logits', shape: [T, V] });
    expect(nextTokenHeadNode.cost({ ...inferArgs, out }).params).toBe(0);
  });
});
