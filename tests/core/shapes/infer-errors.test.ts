import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../../core/graph/diagnostics';
import type { Graph } from '../../../core/graph/model';
import { inferGraph } from '../../../core/shapes/infer';
import { chain, makeGraph, makeNode } from '../../builders';
import { BINDING, fakeRegistry } from './fake-catalog';

const errorsOf = (g: Graph) => inferGraph(g, BINDING, fakeRegistry).diagnostics.filter((d) => d.severity === 'error');

/** in → emb(dim) → head: a tiny language model. */
const lm = (dim = 16, seqLen = 8): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen }, 'in'),
      makeNode('Embedding', { dim }, 'emb'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'head'),
  );

/** Each broken graph, the code it must give, and exactly which node/edge/param the error must name. */
const broken: [
  string,
  () => Graph,
  DiagnosticCode,
  { nodeId?: string; edgeId?: string; param?: string; port?: string },
][] = [
  [
    'unknown type',
    () => ({ ...lm(), nodes: lm().nodes.map((n) => (n.id === 'emb' ? { ...n, type: 'Embedd' } : n)) }),
    'unknown-type',
    { nodeId: 'emb' },
  ],
  ['out-of-range param', () => lm(0), 'bad-param', { nodeId: 'emb', param: 'dim' }],
  [
    'wrong-kind param',
    () => ({ ...lm(), nodes: lm().nodes.map((n) => (n.id === 'emb' ? { ...n, params: { dim: 'big' } } : n)) }),
    'bad-param',
    { nodeId: 'emb', param: 'dim' },
  ],
  [
    'select param not an option',
    () =>
      makeGraph(
        [
          makeNode('TokenInput', {}, 'in'),
          makeNode('Embedding', {}, 'emb'),
          makeNode('Dense', { activation: 'swish' }, 'd'),
          makeNode('NextTokenHead', {}, 'h'),
        ],
        chain('in', 'emb', 'd', 'h'),
      ),
    'bad-param',
    { nodeId: 'd', param: 'activation' },
  ],
  [
    'edge to a missing node',
    () =>
      makeGraph(lm().nodes, [
        ...chain('in', 'emb', 'head'),
        { id: 'ghost', from: { node: 'emb', port: 'out' }, to: { node: 'nowhere', port: 'in' } },
      ]),
    'dangling-edge',
    { edgeId: 'ghost' },
  ],
  [
    'edge to a missing port',
    () =>
      makeGraph(lm().nodes, [
        ['in', 'emb'],
        ['emb', 'head.x'],
      ]),
    'unknown-port',
    { edgeId: 'e2', nodeId: 'head', port: 'x' },
  ],
  [
    'edge from a port that is not "out"',
    () =>
      makeGraph(lm().nodes, [
        ['in.y', 'emb'],
        ['emb', 'head'],
      ]),
    'unknown-port',
    { edgeId: 'e1', nodeId: 'in', port: 'y' },
  ],
  [
    'two edges into one input',
    () =>
      makeGraph(
        [...lm().nodes, makeNode('Embedding', { dim: 16 }, 'emb2')],
        [
          ['in', 'emb'],
          ['in', 'emb2'],
          ['emb', 'head'],
          ['emb2', 'head'],
        ],
      ),
    'port-taken',
    { edgeId: 'e4', nodeId: 'head', port: 'in' },
  ],
  ['no head', () => makeGraph(lm().nodes.slice(0, 2), [['in', 'emb']]), 'no-head', {}],
  ['no token input', () => makeGraph([makeNode('NextTokenHead', {}, 'head')]), 'no-input', {}],
  [
    'unconnected required input',
    () => makeGraph(lm().nodes, [['in', 'emb']]),
    'unconnected',
    { nodeId: 'head', port: 'in' },
  ],
  [
    'incompatible port types',
    () => makeGraph([makeNode('TokenInput', {}, 'in'), makeNode('NextTokenHead', {}, 'head')], [['in', 'head']]),
    'port-type',
    { edgeId: 'e1', nodeId: 'head', port: 'in' },
  ],
  [
    'duplicate node id',
    () => ({ ...lm(), nodes: [...lm().nodes, makeNode('Dense', {}, 'emb')] }),
    'duplicate-id',
    { nodeId: 'emb' },
  ],
];

describe('inferGraph on a broken graph names the right node or edge', () => {
  it.each(broken)('%s', (_name, build, code, where) => {
    const found = errorsOf(build()).filter((d) => d.code === code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(where);
    const subject = where.nodeId ?? where.edgeId;
    if (subject) expect(found[0].message).toContain(`"${subject}"`);
  });
});
