import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectionModel, loadModelArtifacts, saveModelArtifacts } from '../../../core/compile/artifacts';
import { compileGraph, type CompileResult } from '../../../core/compile/compile';
import type { Binding, Task } from '../../../core/nodes/define';
import type { GraphAnalysis } from '../../../core/shapes/analysis';
import { inferGraph } from '../../../core/shapes/infer';
import { loadTemplate, templateFiles } from './load-templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding: Binding = { vocabSize: 40, numClasses: 5 };
const B = 2;

const EXPECTED = [
  'bilstm-attention-classifier.json',
  'bow-classifier.json',
  'char-rnn.json',
  'embedding-bag-classifier.json',
  'gru-lm.json',
  'lstm-lm.json',
  'lstm-tagger.json',
  'mini-gpt.json',
  'mini-llama.json',
];

/** Expected logits shape (with batch) of each task for a window of T tokens. */
const logitsShape = (task: Task, t: number): number[] =>
  task === 'classify' ? [B, binding.numClasses] : [B, t, task === 'tag' ? binding.numClasses : binding.vocabSize];

/** Deterministic token windows; the second row is right-padded (id 0) from the middle on. */
function tokens(t: number): tf.Tensor2D {
  const data = new Int32Array(B * t);
  for (let i = 0; i < data.length; i++) data[i] = 1 + ((i * 7919) % (binding.vocabSize - 1));
  for (let j = Math.floor(t / 2); j < t; j++) data[t + j] = 0;
  return tf.tensor2d(data, [B, t], 'int32');
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const list = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

it('ships every classic architecture', () => {
  expect(templateFiles()).toEqual(EXPECTED);
});

// Each template is compiled once (RNN weight initialisation is the slow part) and checked in order.
describe.each(EXPECTED)('%s', (file) => {
  let analysis: GraphAnalysis;
  let compiled: Extract<CompileResult, { ok: true }>;
  let x: tf.Tensor2D;

  it('has a name, a one-paragraph description and tidy left-to-right positions', () => {
    const g = loadTemplate(file);
    expect(g.name.length).toBeGreaterThan(3);
    expect(g.description?.length ?? 0).toBeGreaterThan(150);
    expect(g.description).not.toMatch(/\n/);
    const xs = g.nodes.map((n) => n.position.x);
    expect(new Set(xs).size).toBe(xs.length);
    for (const e of g.edges) {
      const from = g.nodes.find((n) => n.id === e.from.node)?.position.x ?? NaN;
      const to = g.nodes.find((n) => n.id === e.to.node)?.position.x ?? NaN;
      expect(from).toBeLessThan(to);
    }
  });

  it('infers with no diagnostics, compiles, and gives finite logits of the expected shape', () => {
    const g = loadTemplate(file);
    analysis = inferGraph(g, binding);
    expect(analysis.diagnostics).toEqual([]);
    const r = compileGraph(g, binding);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    compiled = r;
    expect(r.task).toBe(analysis.task);
    expect(r.model.countParams()).toBe(analysis.totals.params);
    x = tokens(analysis.seqLen ?? 0);
    const [y] = list(r.model.predict(x));
    expect(y.shape).toEqual(logitsShape(r.task, x.shape[1]));
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('save → load gives identical outputs, attention maps included', async () => {
    const loaded = await loadModelArtifacts(await saveModelArtifacts(compiled.model));
    const before = list(inspectionModel(compiled.model, compiled.attention).predict(x));
    const after = list(inspectionModel(loaded, compiled.attention).predict(x));
    expect(after.length).toBe(1 + compiled.attention.length);
    before.forEach((t, i) => expect(maxDiff(t, after[i])).toBe(0));
    for (const [i, info] of compiled.attention.entries()) {
      const t = x.shape[1];
      expect(before[i + 1].shape).toEqual([B, info.numHeads, t, t]);
      // Each query's probabilities sum to 1 (a padding query that sees no key may be all zero).
      const sums = Array.from(tf.sum(before[i + 1], -1).dataSync());
      expect(sums.every((s) => Math.abs(s - 1) < 1e-4 || Math.abs(s) < 1e-6)).toBe(true);
    }
  });

  it('trains for 2 steps with a finite loss, and every trainable weight moves', async () => {
    const m = compiled.model;
    const shape = logitsShape(compiled.task, x.shape[1]);
    const classes = shape[shape.length - 1];
    const targets = tf.oneHot(tf.randomUniform(shape.slice(0, -1), 0, classes, 'int32'), classes); // like the logits
    m.compile({
      optimizer: tf.train.adam(1e-2),
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    });
    const before = m.trainableWeights.map((w) => w.read().clone());
    for (let step = 0; step < 2; step++) {
      const loss = await m.trainOnBatch(x, targets);
      expect(Number.isFinite(Array.isArray(loss) ? loss[0] : loss)).toBe(true);
    }
    const still = m.trainableWeights.filter((w, i) => maxDiff(before[i], w.read()) === 0).map((w) => w.name);
    expect(still).toEqual([]);
  });
});
