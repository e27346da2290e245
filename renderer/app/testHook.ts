import { useEffect } from 'react';
import { parseGraph } from '../../core/graph/io';
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
