import { topoSort } from '../graph/topo';
import type { Task } from '../nodes/define';
import type { RunManifest } from '../run/manifest';

/** One row of a comparison of runs (`wordloom compare`, the app's compare panel). */
export interface RunSummary {
  name: string;
  graph: string;
  /** Node types in topological order, repeats folded: `TokenInput → Embedding → TransformerBlock×4 → NextTokenHead`. */
  architecture: string;
  task: Task;
  data: string;
  tokenizer: string;
  params: number;
  flopsPerToken: number;
  /** Median training speed over the recorded steps. */
  tokensPerSec: number | null;
  backend: string;
  bestValLoss: number | null;
  /** Classifiers and taggers: validation accuracy at the best validation loss. */
  valAccuracy?: number;
  /** Next-token models: validation perplexity at the best validation loss. */
  perplexity?: number;
  seconds: number;
  steps: number;
}

export function median(xs: readonly number[]): number | null {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The graph's node types in data-flow order, consecutive repeats folded into `Type×n`. */
export function architectureOf(graph: RunManifest['graph']): string {
  const typeOf = new Map(graph.nodes.map((n) => [n.id, n.type]));
  const { order } = topoSort(
    graph.nodes.map((n) => n.id),
    graph.edges,
  );
  const runs: { type: string; n: number }[] = [];
  for (const id of order) {
    const type = typeOf.get(id) ?? '?';
    const last = runs.at(-1);
    if (last?.type === type) last.n++;
    else runs.push({ type, n: 1 });
  }
  return runs.map((r) => (r.n > 1 ? `${r.type}×${r.n}` : r.type)).join(' → ');
}

export function runSummary(m: RunManifest): RunSummary {
  const evals = m.metrics.evals.filter((e) => Number.isFinite(e.valLoss));
  const best = evals.reduce<(typeof evals)[number] | undefined>(
    (b, e) => (!b || e.valLoss < b.valLoss ? e : b),
    undefined,
  );
  const bestValLoss = best?.valLoss ?? (m.result && Number.isFinite(m.result.valLoss) ? m.result.valLoss : null);
  const lastStep = m.metrics.steps.at(-1);
  const summary: RunSummary = {
    name: m.name,
    graph: m.graph.name,
    architecture: architectureOf(m.graph),
    task: m.data.task,
    data: m.data.source,
    tokenizer: m.tokenizer,
    params: m.totals.params,
    flopsPerToken: m.totals.flopsPerToken,
    tokensPerSec: median(m.metrics.steps.map((s) => s.tokensPerSec)),
    backend: m.backend,
    bestValLoss,
    seconds: m.result?.seconds ?? lastStep?.elapsed ?? 0,
    steps: m.result?.steps ?? lastStep?.step ?? 0,
  };
  if (m.data.task === 'next-token') {
    const ppl = best?.perplexity ?? (bestValLoss === null ? undefined : Math.exp(bestValLoss));
    if (ppl !== undefined) summary.perplexity = ppl;
  } else {
    const acc = best?.valAccuracy ?? m.result?.valAccuracy;
    if (acc !== undefined) summary.valAccuracy = acc;
  }
  return summary;
}
