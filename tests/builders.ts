import { idStem } from '../core/graph/ids';
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type Edge,
  type Graph,
  type GraphNode,
  type ParamValue,
} from '../core/graph/model';

/** A node for tests: `makeNode('LSTM', { units: 8 }, 'lstm')`; the id defaults to the snake-case type. */
export function makeNode(
  type: string,
  params: Record<string, ParamValue> = {},
  id: string = idStem(type),
  position = { x: 0, y: 0 },
): GraphNode {
  return { id, type, params: { ...params }, position: { ...position } };
}

/**
 * An edge spec: a full Edge, or `[from, to]` where `from` is "node" (port "out") or "node.port"
 * and `to` is "node" (port "in") or "node.port".
 */
export type EdgeSpec = Edge | readonly [string, string];

const ref = (s: string, port: string): { node: string; port: string } => {
  const dot = s.lastIndexOf('.');
  return dot < 0 ? { node: s, port } : { node: s.slice(0, dot), port: s.slice(dot + 1) };
};

/** A graph for tests; edges given as tuples get ids e1, e2, … in order. */
export function makeGraph(nodes: GraphNode[], edges: readonly EdgeSpec[] = [], name = 'Test graph'): Graph {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name,
    nodes,
    edges: edges.map((e, i) => ('id' in e ? e : { id: `e${i + 1}`, from: ref(e[0], 'out'), to: ref(e[1], 'in') })),
  };
}

/** `chain('a', 'b', 'c')` → [['a', 'b'], ['b', 'c']]: a straight line of single-input nodes. */
export const chain = (...ids: string[]): [string, string][] => ids.slice(1).map((id, i) => [ids[i], id]);

/** TokenInput(T=16) → Embedding(16) → PositionalEncoding → SelfAttention(2 heads) → NextTokenHead: a quick LM. */
export const tinyAttentionLm = (): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen: 16 }, 'in'),
      makeNode('Embedding', { dim: 16 }, 'emb'),
      makeNode('PositionalEncoding', {}, 'pos'),
      makeNode('SelfAttention', { heads: 2 }, 'att'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    [
      ['in', 'emb'],
      ['emb', 'pos'],
      ['pos', 'att'],
      ['att', 'head'],
    ],
  );

/**
 * TokenInput(T) → Embedding(dim) → PositionalEncoding → TransformerBlock(2 heads) → NextTokenHead: the smallest
 * GPT, T = 16 and dim = 32 unless told.
 */
export const tinyGpt = ({ seqLen = 16, dim = 32, name = 'Test graph' } = {}): Graph =>
  makeGraph(
    [
      makeNode('TokenInput', { seqLen }, 'in'),
      makeNode('Embedding', { dim }, 'emb'),
      makeNode('PositionalEncoding', {}, 'pos'),
      makeNode('TransformerBlock', { heads: 2 }, 'block'),
      makeNode('NextTokenHead', {}, 'head'),
    ],
    chain('in', 'emb', 'pos', 'block', 'head'),
    name,
  );
