import { useEffect } from 'react';
import { parseGraph } from '../../core/graph/io';
import type { AppStoreApi } from '../store';
import { useAppStoreApi } from '../store';

/** What e2e tests and bench/ui-bench.ts may reach: the store, and a way to open a graph without a file dialog. */
export interface TestHook {
  store: AppStoreApi;
  /** Opens a graph document (parsed like a file); returns its diagnostics' messages. */
  loadGraph: (data: unknown) => string[];
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
  useEffect(() => {
    if (!TEST_HOOK_ENABLED) return;
    window.__wordloom = {
      store,
      loadGraph: (data) => {
        const { graph, diagnostics } = parseGraph(data);
        if (graph) store.getState().openGraph(graph);
        return diagnostics.map((d) => d.message);
      },
    };
    return () => {
      delete window.__wordloom;
    };
  }, [store]);
}
