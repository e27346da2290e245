/**
 * The compare view's numbers, from the project's run records and the race's live runs: one CompareRun per
 * selected run, a table row each (the same columns as `wordloom compare`, core/export/summary.ts), and the
 * loss curves as uPlot columns against steps, wall-clock time or tokens seen.
 */
import type uPlot from 'uplot';
import { architectureOf, median } from '../../../core/export/summary';
import type { Graph } from '../../../core/graph/model';
import type { ProjectRun } from '../../../core/project/project';
import type { EvalPoint, StepPoint } from '../../../core/run/manifest';
import { smooth } from '../../lib/trainSetup';
import type { CompareAxis, RaceEntry } from '../../store/compareSlice';
import { liveRunFromRecord, type LiveRun, type RunStatus } from '../../store/runSlice';

/** One run in the comparison: a kept record, or a race run still training. */
export interface CompareRun {
  id: string;
  name: string;
  graph: Graph;
  status: RunStatus;
  task?: string;
  steps: StepPoint[];
  evals: EvalPoint[];
  backend?: string;
  params?: number;
  flopsPerToken?: number;
  /** Seconds and steps of the finished run (a record's result); live runs use their last step. */
  result?: { seconds?: number; steps?: number; valLoss?: number; valAccuracy?: number };
  /** True for a record whose weights were kept (so it can predict, generate and export its model). */
  hasWeights: boolean;
  isLive: boolean;
  /** Its colour index (stable per run id) and a label that tells same-named runs apart; set by useCompareRuns. */
  colour?: number;
  label?: string;
}

/** A table row: the columns of `wordloom compare`. Unknown values are undefined/null (shown as "—"). */
export interface CompareRow {
  id: string;
  name: string;
  architecture: string;
  params?: number;
  flopsPerToken?: number;
  tokensPerSec: number | null;
  backend?: string;
  bestValLoss: number | null;
  /** Accuracy for classifiers and taggers, perplexity for next-token models. */
  metric?: { kind: 'accuracy' | 'perplexity'; value: number };
  seconds: number;
  steps: number;
  status: RunStatus;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const numberAt = (o: unknown, key: string): number | undefined => {
  const v = isObject(o) ? o[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** A project run record as a compared run (its extra fields are loose project data, read with care). */
export function compareRunOfRecord(record: ProjectRun): CompareRun {
  const live = liveRunFromRecord(record);
  return {
    id: record.id,
    name: record.name,
    graph: record.graph,
    status: 'done',
    task: live.task,
    steps: live.steps,
    evals: live.evals,
    backend: record.backend,
    params: numberAt(record.totals, 'params'),
    flopsPerToken: numberAt(record.totals, 'flopsPerToken'),
    result: {
      seconds: numberAt(record.result, 'seconds'),
      steps: numberAt(record.result, 'steps'),
      valLoss: numberAt(record.result, 'valLoss'),
      valAccuracy: numberAt(record.result, 'valAccuracy'),
    },
    hasWeights: typeof record.weightsRef === 'string',
    isLive: false,
  };
}

/** A race run while it trains. */
export function compareRunOfLive(run: LiveRun, graph: Graph, backend: string | null): CompareRun {
  return {
    id: run.id,
    name: run.name,
    graph,
    status: run.status,
    task: run.task,
    steps: run.steps,
    evals: run.evals,
    ...(backend ? { backend } : {}),
    ...(run.params !== undefined ? { params: run.params } : {}),
    hasWeights: false,
    isLive: true,
  };
}

/** The selected runs in selection order: records first by id, else a race's live run; unknown ids are skipped. */
export function compareRunsOf(
  ids: readonly string[],
  records: readonly ProjectRun[],
  raceRuns: Readonly<Record<string, LiveRun>>,
  entries: readonly RaceEntry[],
  backend: string | null,
): CompareRun[] {
  return ids.flatMap((id) => {
    const record = records.find((r) => r.id === id);
    if (record) return [compareRunOfRecord(record)];
    const live = raceRuns[id];
    const graph = entries.find((e) => e.runId === id)?.graph;
    return live && graph ? [compareRunOfLive(live, graph, backend)] : [];
  });
}

/** The table row of a run, computed as core's runSummary computes `wordloom compare`'s. */
export function compareRow(run: CompareRun): CompareRow {
  const evals = run.evals.filter((e) => Number.isFinite(e.valLoss));
  const best = evals.reduce<EvalPoint | undefined>((b, e) => (!b || e.valLoss < b.valLoss ? e : b), undefined);
  const bestValLoss = best?.valLoss ?? run.result?.valLoss ?? null;
  const last = run.steps.at(-1);
  let metric: CompareRow['metric'];
  if (run.task === 'next-token') {
    const ppl = best?.perplexity ?? (bestValLoss === null ? undefined : Math.exp(bestValLoss));
    if (ppl !== undefined) metric = { kind: 'perplexity', value: ppl };
  } else {
    const acc = best?.valAccuracy ?? run.result?.valAccuracy;
    if (acc !== undefined) metric = { kind: 'accuracy', value: acc };
  }
  return {
    id: run.id,
    name: run.name,
    architecture: architectureOf(run.graph),
    params: run.params,
    flopsPerToken: run.flopsPerToken,
    tokensPerSec: median(run.steps.map((s) => s.tokensPerSec)),
    backend: run.backend,
    bestValLoss,
    ...(metric ? { metric } : {}),
    seconds: run.result?.seconds ?? last?.elapsed ?? 0,
    steps: run.result?.steps ?? last?.step ?? 0,
    status: run.status,
  };
}

/** What each uPlot series after x is: run `run`'s smoothed train loss, or its validation points. */
export interface SeriesInfo {
  run: number;
  kind: 'train' | 'val';
}

const xOf = (p: StepPoint, axis: CompareAxis): number =>
  axis === 'step' ? p.step : axis === 'time' ? p.elapsed : p.tokens;

/** Where an evaluation sits on the x axis: tokens seen at its step (from the last step point at or before it). */
function evalX(e: EvalPoint, steps: readonly StepPoint[], axis: CompareAxis): number {
  if (axis === 'step') return e.step;
  if (axis === 'time') return e.elapsed;
  let tokens = NaN;
  for (const p of steps) if (p.step <= e.step) tokens = p.tokens;
  return tokens;
}

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/**
 * The runs' loss curves on one shared x axis: x is the sorted union of every run's x values, and each series
 * holds its own values there and null elsewhere (the chart spans the gaps of train lines; validation is points).
 */
export function compareSeries(
  runs: readonly Pick<CompareRun, 'steps' | 'evals'>[],
  axis: CompareAxis,
  smoothing: number,
): { data: uPlot.AlignedData; series: SeriesInfo[] } {
  const columns: { info: SeriesInfo; points: Map<number, number | null> }[] = [];
  runs.forEach((run, i) => {
    const ys = smooth(
      run.steps.map((p) => p.loss),
      smoothing,
    );
    const train = new Map<number, number | null>();
    run.steps.forEach((p, j) => {
      const x = xOf(p, axis);
      if (Number.isFinite(x)) train.set(x, finiteOrNull(ys[j]));
    });
    const val = new Map<number, number | null>();
    for (const e of run.evals) {
      const x = evalX(e, run.steps, axis);
      if (Number.isFinite(x)) val.set(x, finiteOrNull(e.valLoss));
    }
    columns.push({ info: { run: i, kind: 'train' }, points: train }, { info: { run: i, kind: 'val' }, points: val });
  });
  const xs = [...new Set(columns.flatMap((c) => [...c.points.keys()]))].sort((a, b) => a - b);
  return {
    data: [xs, ...columns.map((c) => xs.map((x) => c.points.get(x) ?? null))],
    series: columns.map((c) => c.info),
  };
}
