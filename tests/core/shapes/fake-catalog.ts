import type { NodeRegistry } from '../../../core/graph/params';
import { defineNode, type AnyNodeDef } from '../../../core/nodes/define';
import { bool, int, select } from '../../../core/params/spec';
import { fmt, sameShape, ShapeError } from '../../../core/nodes/shape';

/** Small stand-ins for the real catalog, so graph/shape tests do not depend on it. */
const notBuilt = (): never => {
  throw new Error('fake nodes are not built');
};

/** The parts graph/shape tests never reach: no custom layers, no PyTorch code, no capabilities. */
const unexported = {
  layers: [],
  pytorch: { code: notBuilt, weights: notBuilt },
  capabilities: { attentionMaps: false, masksPadding: false },
};

const tokenInput = defineNode({
  type: 'TokenInput',
  version: 1,
  label: 'Token input',
  category: 'input',
  doc: 'Fake.',
  inputs: {},
  params: { seqLen: int({ default: 64, min: 1, max: 4096, doc: 'T' }) },
  infer: ({ params }) => ({ type: 'tokens', shape: [params.seqLen] }),
  cost: () => ({ params: 0, flopsPerToken: 0, activations: 0 }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const embedding = defineNode({
  type: 'Embedding',
  version: 1,
  label: 'Embedding',
  category: 'embedding',
  doc: 'Fake.',
  inputs: { in: ['tokens'] },
  params: { dim: int({ default: 64, min: 1, max: 4096, doc: 'D' }) },
  infer: ({ inputs, params }) => ({ type: 'sequence', shape: [inputs.in.shape[0], params.dim] }),
  cost: ({ binding, params, out }) => ({
    params: binding.vocabSize * params.dim,
    flopsPerToken: 0,
    activations: out.shape[0] * params.dim,
  }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const meanPool = defineNode({
  type: 'MeanPool',
  version: 1,
  label: 'Mean pool',
  category: 'layers',
  doc: 'Fake.',
  inputs: { in: ['sequence'] },
  params: {},
  infer: ({ inputs }) => ({ type: 'vector', shape: [inputs.in.shape[1]] }),
  cost: ({ out }) => ({ params: 0, flopsPerToken: 0, activations: out.shape[0] }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const dense = defineNode({
  type: 'Dense',
  version: 1,
  label: 'Dense',
  category: 'layers',
  doc: 'Fake.',
  inputs: { in: ['sequence', 'vector'] },
  params: {
    units: int({ default: 128, min: 1, max: 4096, doc: 'units' }),
    activation: select({ default: 'relu', options: ['linear', 'relu'], doc: 'f' }),
  },
  infer: ({ inputs, params }) => ({ type: inputs.in.type, shape: [...inputs.in.shape.slice(0, -1), params.units] }),
  cost: ({ inputs, params, out }) => {
    const d = inputs.in.shape[inputs.in.shape.length - 1];
    return {
      params: d * params.units + params.units,
      flopsPerToken: 2 * d * params.units,
      activations: out.shape.reduce((a, b) => a * b, 1),
    };
  },
  build: notBuilt,
  ...unexported,
  migrations: [],
});

/** Attention's activations grow as T² (for the cost curve). */
const attention = defineNode({
  type: 'SelfAttention',
  version: 1,
  label: 'Self-attention',
  category: 'attention',
  doc: 'Fake.',
  inputs: { in: ['sequence'] },
  params: { heads: int({ default: 4, min: 1, max: 64, doc: 'h' }), causal: bool({ default: true, doc: 'c' }) },
  infer: ({ inputs, params }) => {
    const [, d] = inputs.in.shape;
    if (d % params.heads !== 0) throw new ShapeError('in', `width ${d} does not split into ${params.heads} heads`);
    return inputs.in;
  },
  cost: ({ inputs, params }) => {
    const [t, d] = inputs.in.shape;
    return { params: 4 * d * d, flopsPerToken: 8 * d * d + 4 * t * d, activations: params.heads * t * t + 4 * t * d };
  },
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const add = defineNode({
  type: 'Add',
  version: 1,
  label: 'Add',
  category: 'layers',
  doc: 'Fake.',
  inputs: { a: ['sequence', 'vector'], b: ['sequence', 'vector'] },
  params: {},
  infer: ({ inputs }) => {
    if (!sameShape(inputs.a.shape, inputs.b.shape))
      throw new ShapeError('b', `expected ${fmt(inputs.a.shape)} like a, got ${fmt(inputs.b.shape)}`);
    return inputs.a;
  },
  cost: () => ({ params: 0, flopsPerToken: 0, activations: 0 }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const nextTokenHead = defineNode({
  type: 'NextTokenHead',
  version: 1,
  label: 'Next-token head',
  category: 'heads',
  doc: 'Fake.',
  head: 'next-token',
  inputs: { in: ['sequence'] },
  params: { tieEmbedding: bool({ default: false, doc: 'tie' }) },
  infer: ({ inputs, binding }) => ({ type: 'logits', shape: [inputs.in.shape[0], binding.vocabSize] }),
  cost: ({ inputs, binding }) => ({ params: inputs.in.shape[1] * binding.vocabSize, flopsPerToken: 0, activations: 0 }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

const classifierHead = defineNode({
  type: 'ClassifierHead',
  version: 1,
  label: 'Classifier head',
  category: 'heads',
  doc: 'Fake.',
  head: 'classify',
  inputs: { in: ['vector'] },
  params: {},
  infer: ({ binding }) => ({ type: 'logits', shape: [binding.numClasses] }),
  cost: ({ inputs, binding }) => ({
    params: inputs.in.shape[0] * binding.numClasses,
    flopsPerToken: 0,
    activations: 0,
  }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

/** Version 2 renamed `size` to `units`; files written for version 1 are migrated. */
const renamed = defineNode({
  type: 'Renamed',
  version: 2,
  label: 'Renamed',
  category: 'layers',
  doc: 'Fake.',
  inputs: { in: ['sequence'] },
  params: { units: int({ default: 8, min: 1, max: 64, doc: 'u' }) },
  infer: ({ inputs, params }) => ({ type: 'sequence', shape: [inputs.in.shape[0], params.units] }),
  cost: () => ({ params: 0, flopsPerToken: 0, activations: 0 }),
  build: notBuilt,
  ...unexported,
  migrations: [{ to: 2, up: ({ size, ...rest }) => ({ ...rest, units: size }) }],
});

/** A node def with a bug: its infer throws a plain Error. */
const buggy = defineNode({
  type: 'Buggy',
  version: 1,
  label: 'Buggy',
  category: 'layers',
  doc: 'Fake.',
  inputs: { in: ['sequence'] },
  params: {},
  infer: () => {
    throw new Error('bug in a node def');
  },
  cost: () => ({ params: 0, flopsPerToken: 0, activations: 0 }),
  build: notBuilt,
  ...unexported,
  migrations: [],
});

export const FAKE_DEFS: readonly AnyNodeDef[] = [
  tokenInput,
  embedding,
  meanPool,
  dense,
  attention,
  add,
  nextTokenHead,
  classifierHead,
  renamed,
  buggy,
];
const byType = new Map(FAKE_DEFS.map((d) => [d.type, d]));
export const fakeRegistry: NodeRegistry = (type) => byType.get(type);
export const BINDING = { vocabSize: 100, numClasses: 3 };
