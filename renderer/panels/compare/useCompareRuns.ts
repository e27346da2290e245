import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';
import type { RaceEntry } from '../../store/compareSlice';
import { runLabel } from '../../lib/inspectedRun';
import { stableColours } from './colours';
import { compareRunsOf, type CompareRun } from './compareData';

const NO_ENTRIES: RaceEntry[] = [];

/** The selected runs, in selection order (index = colour), recomputed only when their sources change. */
export function useCompareRuns(): CompareRun[] {
  const [ids, records, raceRuns, entries, backend] = useAppStore(
    useShallow((s) => [s.compareIds, s.runs, s.raceRuns, s.race?.entries ?? NO_ENTRIES, s.compareBackend] as const),
  );
  return useMemo(() => {
    const runs = compareRunsOf(ids, records, raceRuns, entries, backend);
    const colours = stableColours(runs.map((r) => r.id));
    return runs.map((r, i) => ({ ...r, colour: colours[i], label: runLabel(r) }));
  }, [ids, records, raceRuns, entries, backend]);
}
