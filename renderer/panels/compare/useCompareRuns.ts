import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';
import type { RaceEntry } from '../../store/compareSlice';
import { compareRunsOf, type CompareRun } from './compareData';

const NO_ENTRIES: RaceEntry[] = [];

/** The selected runs, in selection order (index = colour), recomputed only when their sources change. */
export function useCompareRuns(): CompareRun[] {
  const [ids, records, raceRuns, entries, backend] = useAppStore(
    useShallow((s) => [s.compareIds, s.runs, s.raceRuns, s.race?.entries ?? NO_ENTRIES, s.compareBackend] as const),
  );
  return useMemo(
    () => compareRunsOf(ids, records, raceRuns, entries, backend),
    [ids, records, raceRuns, entries, backend],
  );
}
