import { createContext, useContext, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { createAnalysisSlice } from './analysisSlice';
import { createCompareSlice } from './compareSlice';
import { createFineTuneSlice } from './finetuneSlice';
import { createGraphSlice } from './graphSlice';
import { createGuideSlice } from './guideSlice';
import { createInsightSlice } from './insightSlice';
import { createRunSlice } from './runSlice';
import { createSelectionSlice } from './selectionSlice';
import { createTrainingSlice } from './trainingSlice';
import type { AppStore } from './types';
import { createUiSlice } from './uiSlice';

export type { AppStore } from './types';
export type AppStoreApi = StoreApi<AppStore>;

/** Data fields a test or a window may start from (actions always come from the slices). */
export type InitialState = Partial<Pick<AppStore, 'graph' | 'binding' | 'batchSize' | 'theme' | 'screen'>>;

/**
 * A fresh store: one per window and one per test (docs/architecture.md#renderer). The analysis is computed once from the
 * initial graph, then after every graph action.
 */
export function createAppStore(initial: InitialState = {}): AppStoreApi {
  const store = createStore<AppStore>()((...a) => ({
    ...createGraphSlice(...a),
    ...createSelectionSlice(...a),
    ...createAnalysisSlice(...a),
    ...createUiSlice(...a),
    ...createTrainingSlice(...a),
    ...createRunSlice(...a),
    ...createInsightSlice(...a),
    ...createCompareSlice(...a),
    ...createFineTuneSlice(...a),
    ...createGuideSlice(...a),
    ...initial,
  }));
  store.getState().reanalyze();
  return store;
}

const StoreContext = createContext<AppStoreApi | null>(null);

/** Hands a store to the tree; without `store` it makes its own once. */
export function AppStoreProvider({ store, children }: { store?: AppStoreApi; children: ReactNode }) {
  const [own] = useState(() => store ?? createAppStore());
  return <StoreContext.Provider value={own}>{children}</StoreContext.Provider>;
}

/** The store itself, for event handlers that read state at the moment they run. */
export function useAppStoreApi(): AppStoreApi {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore must be used within AppStoreProvider');
  return store;
}

/** Select narrowly: a component re-renders only when its selection changes. */
export function useAppStore<T>(selector: (s: AppStore) => T): T {
  return useStore(useAppStoreApi(), selector);
}
