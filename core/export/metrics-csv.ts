import type { RunManifest } from '../run/manifest';

export const METRICS_COLUMNS = [
  'step',
  'loss',
  'lr',
  'tokensPerSec',
  'elapsed',
  'tokens',
  'valLoss',
  'valAccuracy',
  'perplexity',
] as const;

type Row = Partial<Record<(typeof METRICS_COLUMNS)[number], number>>;

const cell = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(v));

/**
 * The training curve as CSV, one row per step; validation columns are filled on the steps that ran
 * an evaluation (an evaluation at a step with no step record gets its own row) and empty elsewhere.
 */
export function metricsCsv(manifest: Pick<RunManifest, 'metrics'>): string {
  const rows = new Map<number, Row>();
  for (const s of manifest.metrics.steps)
    rows.set(s.step, {
      step: s.step,
      loss: s.loss,
      lr: s.lr,
      tokensPerSec: s.tokensPerSec,
      elapsed: s.elapsed,
      tokens: s.tokens,
    });
  for (const e of manifest.metrics.evals) {
    const row = rows.get(e.step) ?? { step: e.step, elapsed: e.elapsed };
    rows.set(e.step, { ...row, valLoss: e.valLoss, valAccuracy: e.valAccuracy, perplexity: e.perplexity });
  }
  const lines = [...rows.values()]
    .sort((a, b) => (a.step ?? 0) - (b.step ?? 0))
    .map((r) => METRICS_COLUMNS.map((c) => cell(r[c])).join(','));
  return `${[METRICS_COLUMNS.join(','), ...lines].join('\n')}\n`;
}
