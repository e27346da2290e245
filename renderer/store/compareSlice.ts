import type { Graph } from '../../core/graph/model';
import type { Prediction } from '../../core/predict/types';
import type { WorkerResponse } from '../../core/worker/protocol';
import { applyEvent, type LiveRun, type RunStatus } from './runSlice';
import type { SliceCreator } from './types';

/** What the compare chart puts on its x axis. */
export type CompareAxis = 'step' | 'time' | 'tokens';
export const COMPARE_AXES: readonly CompareAxis[] = ['step', 'time', 'tokens'];

/** How long each race run trains: a number of steps, or minutes of wall-clock time (then it is stopped). */
export type RaceBudget = { kind: 'steps'; steps: number } | { kind: 'minutes'; minutes: number };

/** The graph on screen, as a race entry next to the template ids. */
export const CURRENT_GRAPH = 'current';

/** The race form. Unset fields follow the project's training setup (the Train tab). */
export interface RaceSetup {
  /** Template ids, or CURRENT_GRAPH; raced in this order. */
  graphs: string[];
  dataset?: string;
  tokenizer?: string;
  seed?: number;
  batchSize?: number;
  budget: RaceBudget;
}

/** One graph of a race: waiting, then the status of its run. */
export interface RaceEntry {
  key: string;
  label: string;
  graph: Graph;
  runId?: string;
  status: 'waiting' | RunStatus;
  error?: string;
}

export interface RaceState {
  entries: RaceEntry[];
  budget: RaceBudget;
  isRunning: boolean;
  /** The user pressed Stop: the current run stops, the ones after it never start. */
  isStopping: boolean;
}

/** What one compared run answered for the shared text and prompt. */
export interface CompareAnswer {
  prediction?: Prediction;
  generated: string;
  isGenerating: boolean;
  error?: string;
}

/**
 * Comparing runs (the compare panel, docs/architecture.md): which of the project's runs are side by side, the chart's x axis,
 * the race (several graphs trained one after another on the same data), each run's answers to one text and
 * one prompt, and the export dialog. The runs themselves are the project's records (TrainingSlice.runs); a race
 * run's curves live here only while it trains, until its record is kept.
 */
export interface CompareSlice {
  isCompareOpen: boolean;
  compareIds: string[];
  compareAxis: CompareAxis;
  raceSetup: RaceSetup;
  race: RaceState | null;
  raceRuns: Record<string, LiveRun>;
  /** The backend the compare worker runs on (null until it has started). */
  compareBackend: string | null;
  compareText: string;
  comparePrompt: string;
  compareAnswers: Record<string, CompareAnswer>;
  /** The export dialog, open for this run id ('' before a run is picked); null when closed. */
  exportRunId: string | null;
  openCompare: () => void;
  closeCompare: () => void;
  toggleCompareRun: (id: string) => void;
  setCompareAxis: (axis: CompareAxis) => void;
  updateRaceSetup: (patch: Partial<RaceSetup>) => void;
  toggleRaceGraph: (key: string) => void;
  beginRace: (entries: readonly Pick<RaceEntry, 'key' | 'label' | 'graph'>[], budget: RaceBudget) => void;
  /** Entry `index` started run `run.id`: its curve joins the comparison at once. */
  raceEntryStarted: (index: number, run: { id: string; name: string; totalSteps: number }) => void;
  raceEntryEnded: (index: number, status: RunStatus, error?: string) => void;
  /** Folds the compare worker's run messages into the race runs (as RunSlice.receive does for the Train tab). */
  raceReceive: (messages: readonly WorkerResponse[]) => void;
  /** The run's record is now in the project: its live copy goes. */
  raceRunKept: (runId: string) => void;
  requestRaceStop: () => void;
  endRace: () => void;
  setCompareText: (text: string) => void;
  setComparePrompt: (prompt: string) => void;
  /** Merges a partial answer for run `id` (a prediction, generated text, an error). */
  setCompareAnswer: (id: string, patch: Partial<CompareAnswer>) => void;
  appendCompareGenerated: (id: string, text: string, done: boolean) => void;
  openExport: (runId?: string) => void;
  closeExport: () => void;
}

export const DEFAULT_RACE_SETUP: RaceSetup = {
  graphs: ['char-rnn', 'gru-lm', 'mini-gpt'],
  budget: { kind: 'steps', steps: 200 },
};

const EMPTY_ANSWER: CompareAnswer = { generated: '', isGenerating: false };

const newLiveRun = (run: { id: string; name: string; totalSteps: number }): LiveRun => ({
  ...run,
  status: 'preparing',
  step: 0,
  steps: [],
  evals: [],
  labels: [],
  hasModel: false,
});

/** One worker message applied to the race runs (messages for other runs are left alone). */
export function foldRaceMessage(runs: Record<string, LiveRun>, m: WorkerResponse): Record<string, LiveRun> {
  if (!('runId' in m) || m.runId === undefined) return runs;
  const run = runs[m.runId];
  if (!run) return runs;
  switch (m.kind) {
    case 'event':
      return { ...runs, [run.id]: applyEvent(run, m.event) };
    case 'prepared':
      return { ...runs, [run.id]: { ...run, labels: m.labels, trainTokens: m.trainTokens, task: m.task } };
    case 'error':
      return m.requestId === undefined ? { ...runs, [run.id]: { ...run, status: 'error', error: m.message } } : runs;
    default:
      return runs;
  }
}

const withoutKey = <T>(map: Record<string, T>, key: string): Record<string, T> =>
  Object.fromEntries(Object.entries(map).filter(([k]) => k !== key));

export const createCompareSlice: SliceCreator<CompareSlice> = (set, get) => ({
  isCompareOpen: false,
  compareIds: [],
  compareAxis: 'step',
  raceSetup: DEFAULT_RACE_SETUP,
  race: null,
  raceRuns: {},
  compareBackend: null,
  compareText: '',
  comparePrompt: '',
  compareAnswers: {},
  exportRunId: null,
  openCompare: () =>
    set((s) => ({
      isCompareOpen: true,
      // First time: the last two runs of the project, the usual "this one against that one".
      compareIds: s.compareIds.length ? s.compareIds : s.runs.slice(-2).map((r) => r.id),
    })),
  closeCompare: () => set({ isCompareOpen: false }),
  toggleCompareRun: (id) =>
    set((s) => ({
      compareIds: s.compareIds.includes(id) ? s.compareIds.filter((x) => x !== id) : [...s.compareIds, id],
    })),
  setCompareAxis: (compareAxis) => set({ compareAxis }),
  updateRaceSetup: (patch) => set((s) => ({ raceSetup: { ...s.raceSetup, ...patch } })),
  toggleRaceGraph: (key) =>
    set((s) => {
      const graphs = s.raceSetup.graphs;
      return {
        raceSetup: {
          ...s.raceSetup,
          graphs: graphs.includes(key) ? graphs.filter((g) => g !== key) : [...graphs, key],
        },
      };
    }),
  beginRace: (entries, budget) =>
    set({
      race: {
        entries: entries.map((e) => ({ ...e, status: 'waiting' })),
        budget,
        isRunning: true,
        isStopping: false,
      },
      // The race's runs join the comparison as they start; runs already ticked stay ticked (the issue's
      // complaint: a race silently unticked them).
      compareAnswers: {},
    }),
  raceEntryStarted: (index, run) =>
    set((s) => {
      if (!s.race) return {};
      const entries = s.race.entries.map((e, i) =>
        i === index ? { ...e, runId: run.id, status: 'preparing' as const } : e,
      );
      return {
        race: { ...s.race, entries },
        raceRuns: { ...s.raceRuns, [run.id]: newLiveRun(run) },
        compareIds: [...s.compareIds, run.id],
      };
    }),
  raceEntryEnded: (index, status, error) =>
    set((s) => {
      if (!s.race) return {};
      const entries = s.race.entries.map((e, i) => (i === index ? { ...e, status, ...(error ? { error } : {}) } : e));
      return { race: { ...s.race, entries } };
    }),
  raceReceive: (messages) => {
    let raceRuns = get().raceRuns;
    let compareBackend = get().compareBackend;
    for (const m of messages) {
      raceRuns = foldRaceMessage(raceRuns, m);
      if (m.kind === 'backend') compareBackend = m.name;
    }
    set({ raceRuns, compareBackend });
  },
  raceRunKept: (runId) => set((s) => ({ raceRuns: withoutKey(s.raceRuns, runId) })),
  requestRaceStop: () => set((s) => (s.race ? { race: { ...s.race, isStopping: true } } : {})),
  endRace: () => set((s) => (s.race ? { race: { ...s.race, isRunning: false } } : {})),
  setCompareText: (compareText) => set({ compareText }),
  setComparePrompt: (comparePrompt) => set({ comparePrompt }),
  setCompareAnswer: (id, patch) =>
    set((s) => ({
      compareAnswers: { ...s.compareAnswers, [id]: { ...(s.compareAnswers[id] ?? EMPTY_ANSWER), ...patch } },
    })),
  appendCompareGenerated: (id, text, done) =>
    set((s) => {
      const a = s.compareAnswers[id] ?? EMPTY_ANSWER;
      return {
        compareAnswers: { ...s.compareAnswers, [id]: { ...a, generated: a.generated + text, isGenerating: !done } },
      };
    }),
  openExport: (runId) => set((s) => ({ exportRunId: runId ?? s.compareIds.at(-1) ?? s.runs.at(-1)?.id ?? '' })),
  closeExport: () => set({ exportRunId: null }),
});
