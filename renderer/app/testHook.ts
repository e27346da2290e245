import { useEffect } from 'react';
import * as tf from '@tensorflow/tfjs';
import { expansionLogitDiff } from '../../core/compile/expand-weights';
import { expandNode } from '../../core/shapes/expand';
import { parseGraph } from '../../core/graph/io';
import type { Graph } from '../../core/graph/model';
import type { BackendName } from '../../core/worker/protocol';
import type { AppStoreApi } from '../store';
import { useAppStoreApi } from '../store';
import { startWorker, useTraining } from './training';

/** What e2e tests and bench/ui-bench.ts may reach: the store, and a way to open a graph without a file dialog. */
export interface TestHook {
  store: AppStoreApi;
  /** Opens a graph document (parsed like a file); returns its diagnostics' messages. */
  loadGraph: (data: unknown) => string[];
  /** Makes a backend of the training worker return wrong results (the worker honours it in test builds only). */
  corruptBackend: (backend: BackendName) => void;
  /** A fresh training worker, for bench/app-bench.ts to drive over messages (each has its own wasm threads). */
  createWorker: () => Worker;
  /**
   * Is the open graph `before` with `blockId` expanded (the same edit core's expandNode makes), and do the two
   * give the same logits on `tokens` with the same weights? Runs tf.js on the page's cpu backend.
   */
  checkExpansion: (
    before: Graph,
    blockId: string,
    tokens: number[][],
  ) => Promise<{ sameEdit: boolean; maxDiff: number; scale: number; copied: number }>;
}

declare global {
  interface Window {
    __wordloom?: TestHook;
  }
}

/** Only in dev-server and test builds (VITE_WORDLOOM_TEST_HOOK=1): production builds carry no hook. */
export const TEST_HOOK_ENABLED = import.meta.env.DEV || import.meta.env.VITE_WORDLOOM_TEST_HOOK === '1';

export function useTestHook(): void {
  const store = useAppStoreApi();
  const client = useTraining();
  useEffect(() => {
    if (!TEST_HOOK_ENABLED) return;
    window.__wordloom = {
      store,
      corruptBackend: (backend) => client?.corruptBackend(backend),
      createWorker: startWorker,
      checkExpansion: async (before, blockId, tokens) => {
        const { binding, graph } = store.getState();
        const expansion = expandNode(before, blockId, binding);
        if ('error' in expansion) throw new Error(expansion.error);
        await tf.setBackend('cpu');
        const sameEdit = JSON.stringify(expansion.graph) === JSON.stringify(graph);
        return { sameEdit, ...expansionLogitDiff(before, expansion, binding, tokens) };
      },
      loadGraph: (data) => {
        const { graph, diagnostics } = parseGraph(data);
        if (graph) store.getState().openGraph(graph);
        return diagnostics.map((d) => d.message);
      },
    };
    return () => {
      delete window.__wordloom;
    };
  }, [store, client]);
}
