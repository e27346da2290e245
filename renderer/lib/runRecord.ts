/**
 * A run as the project file keeps it (docs/graph-format.md `runs`): the manifest's settings and curves, where its weights
 * are, and its last probe predictions, so a reopened project draws its charts before any weights load.
 */
import type { Prediction } from '../../core/predict/types';
import type { ProjectRun } from '../../core/project/project';
import type { RunManifest } from '../../core/run/manifest';

export interface ProbeRecord {
  step: number;
  prediction: Prediction;
}

/** Non-finite numbers have no JSON form: a loss becomes null (the schema's "diverged"), other fields are left out. */
const finiteFields = (point: object, nullable: readonly string[]): Record<string, number | null> => {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(point)) {
    if (typeof v !== 'number') continue;
    if (Number.isFinite(v)) out[k] = v;
    else if (nullable.includes(k)) out[k] = null;
  }
  return out;
};

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The project record of a finished run. */
export function recordFromManifest(m: RunManifest, extra: { weightsRef?: string; probe?: ProbeRecord }): ProjectRun {
  const steps = m.metrics.steps.map((p) => ({ ...finiteFields(p, []), step: p.step, loss: finiteOrNull(p.loss) }));
  const evals = m.metrics.evals.map((p) => ({
    ...finiteFields(p, []),
    step: p.step,
    valLoss: finiteOrNull(p.valLoss),
  }));
  return {
    id: m.id,
    name: m.name,
    createdAt: m.createdAt,
    graph: m.graph,
    training: { ...m.training, dataset: m.data.source, tokenizer: m.tokenizer },
    metrics: { steps, evals },
    backend: m.backend,
    ...(extra.weightsRef ? { weightsRef: extra.weightsRef } : {}),
    task: m.data.task,
    labels: m.labels,
    binding: m.binding,
    seqLen: m.seqLen,
    totals: m.totals,
    ...(m.result ? { result: finiteFields(m.result, ['trainLoss', 'valLoss']) } : {}),
    ...(extra.probe ? { probe: extra.probe } : {}),
    promptCompletion: m.data.promptCompletion,
    ...(m.parent ? { parent: m.parent } : {}),
  };
}

/** The parent a run record names (a fine-tuned run), if it reads as one. */
export function parentOfRecord(record: ProjectRun): { runId: string; name: string; step: number } | undefined {
  const p = record.parent;
  if (!isRecord(p) || typeof p.runId !== 'string' || typeof p.step !== 'number') return undefined;
  return { runId: p.runId, name: typeof p.name === 'string' ? p.name : p.runId, step: p.step };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTokenList = (v: unknown): boolean =>
  Array.isArray(v) && v.every((t) => isRecord(t) && typeof t.text === 'string');

/** A prediction read back from a project file: the fields the panels draw must be there. */
export function isPrediction(v: unknown): v is Prediction {
  if (!isRecord(v) || !isTokenList(v.tokens) || !Array.isArray(v.tokens)) return false;
  const tokens: unknown[] = v.tokens;
  if (v.kind === 'next-token') return tokens.every((t) => isRecord(t) && Array.isArray(t.top));
  if (v.kind === 'tag') return tokens.every((t) => isRecord(t) && typeof t.tag === 'string' && typeof t.p === 'number');
  if (v.kind === 'classify')
    return (
      typeof v.label === 'string' &&
      isRecord(v.probs) &&
      tokens.every((t) => isRecord(t) && typeof t.weight === 'number')
    );
  return false;
}

/** The last probe a run record kept, if it reads as one. */
export function probeOfRecord(record: ProjectRun): ProbeRecord | undefined {
  const probe = record.probe;
  if (!isRecord(probe) || typeof probe.step !== 'number' || !isPrediction(probe.prediction)) return undefined;
  return { step: probe.step, prediction: probe.prediction };
}

/** A readable run name: the graph, the dataset and the time, e.g. "Mini GPT · shakespeare · 14:03". */
export function runName(graphName: string, dataset: string, at: Date): string {
  const hh = String(at.getHours()).padStart(2, '0');
  const mm = String(at.getMinutes()).padStart(2, '0');
  return `${graphName} · ${dataset} · ${hh}:${mm}`;
}

/** A run id that stays unique across sessions (it keys the run's weights). */
export function newRunId(at: Date, random: () => number = Math.random): string {
  return `run-${at.getTime().toString(36)}-${Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}
