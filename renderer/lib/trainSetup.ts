/**
 * Pure helpers behind the training panel: which dataset and tokenizer a graph gets by default, how long and
 * how much memory a run should take, and the numbers the charts and the progress bar draw.
 */
import { BUNDLED_DATASETS, bundledDataset } from '../../core/data/bundled/manifest';
import type { Cost, Task } from '../../core/nodes/define';
import type { ProjectTraining } from '../../core/project/schema';
import type { StepPoint } from '../../core/run/manifest';
import { trainingMemoryBytes } from './memory';

/** The graph task a bundled set trains (prompt-completion is next-token with the loss on the completion). */
export const taskOfDataset = (name: string): Task | undefined => {
  const set = bundledDataset(name);
  if (!set) return undefined;
  return set.task === 'prompt-completion' ? 'next-token' : set.task;
};

/** The dataset in use: the chosen one, else the first bundled set that suits the graph's head. */
export function datasetName(training: ProjectTraining, task: Task | undefined): string {
  if (training.dataset) return training.dataset;
  return BUNDLED_DATASETS.find((d) => taskOfDataset(d.name) === (task ?? 'next-token'))?.name ?? 'shakespeare';
}

/** The tokenizer in use: the chosen one, else the dataset's own default (char for a user's file). */
export function tokenizerName(training: ProjectTraining, dataset: string): string {
  return training.tokenizer ?? bundledDataset(dataset)?.defaultTokenizer ?? 'char';
}

/**
 * Forward + backward ≈ 3 × forward FLOPs. Rough sustained throughputs for small models (FLOP/s): a first guess
 * until the run itself measures tokens per second.
 */
export const ASSUMED_FLOPS: Record<string, number> = { webgpu: 4e10, webgl: 8e9, wasm: 3e9, cpu: 4e8 };
export const BACKWARD_FACTOR = 3;

export interface RunEstimate {
  tokens: number;
  seconds: number;
  memoryBytes: number;
}

/** Time and memory of a run before it starts: FLOPs/token × tokens / the backend's assumed throughput. */
export function estimateRun(
  totals: Cost,
  seqLen: number,
  steps: number,
  batchSize: number,
  backend: string | null,
): RunEstimate {
  const tokens = steps * batchSize * seqLen;
  const flops = BACKWARD_FACTOR * totals.flopsPerToken * tokens;
  const speed = ASSUMED_FLOPS[backend ?? 'cpu'] ?? ASSUMED_FLOPS.cpu;
  return { tokens, seconds: flops / speed, memoryBytes: trainingMemoryBytes(totals, batchSize) };
}

/** Steps per second over the last `window` steps (null before two steps). */
export function measuredStepsPerSec(steps: readonly StepPoint[], window = 10): number | null {
  if (steps.length < 2) return null;
  const a = steps[Math.max(0, steps.length - 1 - window)];
  const b = steps[steps.length - 1];
  const dt = b.elapsed - a.elapsed;
  return dt > 0 ? (b.step - a.step) / dt : null;
}

/** Median tokens per second over the last `window` steps (null before any step): robust to one slow step. */
export function measuredTokensPerSec(steps: readonly StepPoint[] | undefined, window = 10): number | null {
  if (!steps?.length) return null;
  const recent = steps
    .slice(-window)
    .map((p) => p.tokensPerSec)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return recent.length ? recent[Math.floor(recent.length / 2)] : null;
}

/** Seconds left at the measured pace (null until there is a pace). */
export function etaSeconds(steps: readonly StepPoint[], totalSteps: number): number | null {
  const rate = measuredStepsPerSec(steps);
  const last = steps[steps.length - 1];
  return rate && last ? Math.max(0, totalSteps - last.step) / rate : null;
}

/** Exponential moving average with debiasing (as TensorBoard's smoothing): weight 0 = raw values. */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  let avg = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    n += 1;
    avg = avg * weight + (1 - weight) * v;
    return avg / (1 - weight ** n);
  });
}

/** "45 s", "3 min", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
