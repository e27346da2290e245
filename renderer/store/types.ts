import type { StateCreator } from 'zustand';
import type { AnalysisSlice } from './analysisSlice';
import type { CompareSlice } from './compareSlice';
import type { FineTuneSlice } from './finetuneSlice';
import type { GraphSlice } from './graphSlice';
import type { GuideSlice } from './guideSlice';
import type { InsightSlice } from './insightSlice';
import type { RunSlice } from './runSlice';
import type { SelectionSlice } from './selectionSlice';
import type { TrainingSlice } from './trainingSlice';
import type { UiSlice } from './uiSlice';

/** The one app store (docs/architecture.md#renderer): data plus named actions, made of slices, no side effects. */
export type AppStore = GraphSlice &
  SelectionSlice &
  AnalysisSlice &
  UiSlice &
  TrainingSlice &
  RunSlice &
  InsightSlice &
  CompareSlice &
  FineTuneSlice &
  GuideSlice;

/** A slice sees the whole store, as in the zustand slices pattern. */
export type SliceCreator<T> = StateCreator<AppStore, [], [], T>;

export interface XY {
  x: number;
  y: number;
}
