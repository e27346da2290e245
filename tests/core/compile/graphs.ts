import type { Edge, Graph, GraphNode, ParamValue } from '../../../core/graph/model';

/** A graph from nodes `[id, type, params]` and edges `"from->to.port"` (port defaults to `in`). */
export function graphOf(nodes: [string, string, Record<string, ParamValue>?][], edges: string[]): Graph {
  const gNodes: GraphNode[] = nodes.map(([id, type, params], i) => ({
    id,
    type,
    params: params ?? {},
    position: { x: i * 220, y: 0 },
  }));
  const gEdges: Edge[] = edges.map((e, i) => {
    const [from, to] = e.split('->');
    const [toNode, toPort] = to.split('.');
    return { id: `e${i + 1}`, from: { node: from, port: 'out' }, to: { node: toNode, port: toPort ?? 'in' } };
  });
  return { format: 'wordloom-graph', version: 1, name: 'test', nodes: gNodes, edges: gEdges };
}

/** Token → Embedding → FeedForward (+ residual) → LayerNorm → NextTokenHead, built from the basic nodes only. */
export function residualLm(opts: { dim?: number; tie?: boolean; seqLen?: number } = {}): Graph {
  return graphOf(
    [
      ['in', 'TokenInput', { seqLen: opts.seqLen ?? 8 }],
      ['emb', 'Embedding', { dim: opts.dim ?? 16 }],
      ['ff', 'FeedForward', { hidden: 32 }],
      ['res', 'Add'],
      ['ln', 'LayerNorm'],
      ['head', 'NextTokenHead', { tieEmbedding: opts.tie ?? false }],
    ],
    ['in->emb', 'emb->ff', 'emb->res.a', 'ff->res.b', 'res->ln', 'ln->head'],
  );
}
