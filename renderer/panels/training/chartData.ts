import type uPlot from 'uplot';
import type { EvalPoint, StepPoint } from '../../../core/run/manifest';
import { smooth } from '../../lib/trainSetup';

/** Loss chart columns: step | train loss (raw) | train loss (smoothed) | validation loss (null between evals). */
export function lossChartData(
  steps: readonly StepPoint[],
  evals: readonly EvalPoint[],
  smoothing: number,
): uPlot.AlignedData {
  const val = new Map(evals.map((e) => [e.step, e.valLoss]));
  const xs = steps.map((p) => p.step);
  // An eval can land on a step that has no step point (a stopped run's final eval): give it its own x.
  for (const e of evals) if (!xs.includes(e.step)) xs.push(e.step);
  xs.sort((a, b) => a - b);
  const loss = new Map(steps.map((p) => [p.step, p.loss]));
  const raw = xs.map((x) => loss.get(x) ?? null);
  const smoothed = smooth(
    raw.map((v) => v ?? NaN),
    smoothing,
  ).map((v) => (Number.isFinite(v) ? v : null));
  return [xs, raw.map(finiteOrNull), smoothed, xs.map((x) => finiteOrNull(val.get(x) ?? null))];
}

/** Speed chart columns: step | tokens per second | learning rate. */
export function speedChartData(steps: readonly StepPoint[]): uPlot.AlignedData {
  return [
    steps.map((p) => p.step),
    steps.map((p) => finiteOrNull(p.tokensPerSec)),
    steps.map((p) => finiteOrNull(p.lr)),
  ];
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
