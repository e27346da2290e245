import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useAppStoreApi } from '../store';
import { layoutGraph } from './layout';

/** Lays the graph out left to right with dagre, using each node's measured size; one undo step. */
export function useAutoLayout(): () => void {
  const store = useAppStoreApi();
  const rf = useReactFlow();
  return useCallback(() => {
    const s = store.getState();
    const sizeOf = (id: string): { width: number; height: number } | undefined => {
      const m = rf.getInternalNode(id)?.measured;
      return m?.width && m.height ? { width: m.width, height: m.height } : undefined;
    };
    s.moveNodes(layoutGraph(s.graph, sizeOf));
    s.requestFit();
  }, [rf, store]);
}
