import { copyFragment, type Fragment } from '../../core/graph/ops';
import type { SliceCreator } from './types';

export interface SelectionSlice {
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  /** What Ctrl+C copied: the selected nodes and the edges among them. */
  clipboard: Fragment | null;
  /** Pastes since the last copy, so each paste lands a step further along. */
  pasteCount: number;
  setSelection: (nodeIds: string[], edgeIds: string[]) => void;
  selectNode: (nodeId: string) => void;
  clearSelection: () => void;
  copySelection: () => void;
}

const sameIds = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selectedNodeIds: [],
  selectedEdgeIds: [],
  clipboard: null,
  pasteCount: 0,
  setSelection: (nodeIds, edgeIds) => {
    const s = get();
    // React Flow reports selection often; keep the arrays (and every subscriber) stable when nothing changed.
    if (sameIds(s.selectedNodeIds, nodeIds) && sameIds(s.selectedEdgeIds, edgeIds)) return;
    set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
  },
  selectNode: (nodeId) => get().setSelection([nodeId], []),
  clearSelection: () => get().setSelection([], []),
  copySelection: () => {
    const { graph, selectedNodeIds } = get();
    if (selectedNodeIds.length === 0) return;
    set({ clipboard: copyFragment(graph, selectedNodeIds), pasteCount: 0 });
  },
});
