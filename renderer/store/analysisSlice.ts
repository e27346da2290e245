import type { GraphAnalysis } from '../../core/shapes/analysis';
import { inferGraph } from '../../core/shapes/infer';
import type { SliceCreator } from './types';

/**
 * Shapes, costs and diagnostics by node id: derived from the graph by core's inferGraph after every graph
 * action, never edited directly. (Each node's own diagnostics are in `analysis.nodes[id].diagnostics`.)
 */
export interface AnalysisSlice {
  analysis: GraphAnalysis;
  reanalyze: () => void;
}

export const EMPTY_ANALYSIS: GraphAnalysis = {
  nodes: {},
  order: [],
  diagnostics: [],
  totals: { params: 0, flopsPerToken: 0, activations: 0 },
};

export const createAnalysisSlice: SliceCreator<AnalysisSlice> = (set, get) => ({
  // createAppStore runs reanalyze once the graph and binding exist.
  analysis: EMPTY_ANALYSIS,
  reanalyze: () => set({ analysis: inferGraph(get().graph, get().binding) }),
});
