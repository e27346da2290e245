import type { Graph } from '../graph/model';
import type { NodeRegistry } from '../graph/params';
import type { Binding, Cost } from '../nodes/define';
import { getNodeDef } from '../nodes/index';
import { inferGraph } from './infer';

export interface CostPoint {
  seqLen: number;
  totals: Cost;
  /** False when the graph has errors at this T (totals then cover only the nodes that inferred). */
  ok: boolean;
}

/**
 * Cost as T grows, for the editor's chart: the graph re-inferred once per T with the TokenInput's
 * seqLen overridden (e.g. attention's activations grow as T², an RNN's as T). A T outside the
 * TokenInput's allowed range gives a point with ok = false rather than a clamped value.
 */
export function costCurve(
  graph: Graph,
  binding: Binding,
  seqLens: readonly number[],
  registry: NodeRegistry = getNodeDef,
): CostPoint[] {
  const inputId = inferGraph(graph, binding, registry).inputId;
  return seqLens.map((seqLen) => {
    const g: Graph = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === inputId ? { ...n, params: { ...n.params, seqLen } } : n)),
    };
    const a = inferGraph(g, binding, registry);
    const ok = inputId !== undefined && !a.diagnostics.some((d) => d.severity === 'error');
    return { seqLen, totals: a.totals, ok };
  });
}
