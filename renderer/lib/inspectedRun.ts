/**
 * The run the inspection views (Predictions, Attention, Generate, Ask) look at: the one picked in their shared
 * run picker, or the current run (live, or the latest reopened) when none is picked. Plain selectors over the
 * store, so each view reads the same answer.
 */
import type { ProjectRun } from '../../core/project/project';
import type { AppStore } from '../store/types';
import type { LiveRun } from '../store/runSlice';
import { probeOfRecord, type ProbeRecord } from './runRecord';

export interface InspectedRun {
  id: string;
  name: string;
  /** True when the worker holds its model (its weights were opened, or it trained here). */
  hasModel: boolean;
  task?: string;
  promptCompletion?: boolean;
  probe?: ProbeRecord;
  /** True for the current run (the Train tab's), false for an older one picked here. */
  isCurrent: boolean;
}

type Picked = Pick<AppStore, 'run' | 'runs' | 'inspectRunId' | 'loadedRunIds'>;

const ofLive = (run: LiveRun): InspectedRun => ({
  id: run.id,
  name: run.name,
  hasModel: run.hasModel,
  task: run.task,
  promptCompletion: run.promptCompletion,
  probe: run.probe,
  isCurrent: true,
});

/** One probe object per record, so a selector that returns it stays equal between renders. */
const probes = new WeakMap<ProjectRun, ProbeRecord | undefined>();
const probeOf = (r: ProjectRun): ProbeRecord | undefined => {
  if (!probes.has(r)) probes.set(r, probeOfRecord(r));
  return probes.get(r);
};

const ofRecord = (r: ProjectRun, loaded: readonly string[]): InspectedRun => ({
  id: r.id,
  name: r.name,
  hasModel: loaded.includes(r.id),
  task: typeof r.task === 'string' ? r.task : undefined,
  promptCompletion: typeof r.promptCompletion === 'boolean' ? r.promptCompletion : undefined,
  probe: probeOf(r),
  isCurrent: false,
});

export function inspectedRun(s: Picked): InspectedRun | null {
  const id = s.inspectRunId;
  if (id === null || id === s.run?.id) return s.run ? ofLive(s.run) : null;
  const record = s.runs.find((r) => r.id === id);
  return record ? ofRecord(record, s.loadedRunIds) : s.run ? ofLive(s.run) : null;
}

/** A label that tells runs apart even when two share a name (same graph, data and minute): the id's tail. */
export const runLabel = (run: { id: string; name: string }): string => `${run.name} · #${run.id.slice(-4)}`;

/** The runs the picker offers, newest first: every kept run, and the current one if it is not kept yet. */
export function pickableRuns(s: Pick<AppStore, 'run' | 'runs'>): { id: string; label: string }[] {
  const kept = s.runs.map((r) => ({ id: r.id, label: runLabel(r) }));
  const live = s.run && !s.runs.some((r) => r.id === s.run?.id) ? [{ id: s.run.id, label: `${runLabel(s.run)} (${s.run.status})` }] : [];
  return [...live, ...kept.reverse()];
}
