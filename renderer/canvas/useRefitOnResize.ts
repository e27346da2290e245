import { useEffect, useRef, type RefObject } from 'react';
import { useReactFlow, type FitViewOptions } from '@xyflow/react';
import { useAppStore, useAppStoreApi } from '../store';
import type { CanvasFlowNode, ShapeFlowEdge } from './flowTypes';

type Padding = NonNullable<FitViewOptions['padding']>;

/**
 * Opening or folding the training dock resizes the canvas from below; React Flow keeps its transform, so the
 * lower part of the graph would slide out of view. After such a resize, fit the selected blocks (or the whole
 * graph) into the room that remains. Window resizes and panel toggles the user made elsewhere are left alone.
 */
export function useRefitOnResize(canvas: RefObject<HTMLElement | null>, padding: Padding): void {
  const rf = useReactFlow<CanvasFlowNode, ShapeFlowEdge>();
  const store = useAppStoreApi();
  const isDockOpen = useAppStore((s) => s.isDockOpen);
  const pending = useRef(false);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    pending.current = true;
  }, [isDockOpen]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (!pending.current) return;
      pending.current = false;
      const s = store.getState();
      if (s.graph.nodes.length === 0) return;
      const selected = s.selectedNodeIds.map((id) => ({ id }));
      void rf.fitView({ padding, maxZoom: 1.2, duration: 0, ...(selected.length ? { nodes: selected } : {}) });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [canvas, padding, rf, store]);
}
