import type { Diagnostic } from '../graph/diagnostics';
import type { ParseResult } from '../graph/io';
import type { Cost } from '../nodes/define';
import type { GraphAnalysis } from '../shapes/analysis';
import type { PortType } from '../nodes/shape';

/** One row of `wordloom check`; the JSON form is docs/cli.md's `nodes[]` (plus `kind`). */
export interface CheckNode {
  id: string;
  type: string;
  /** Inferred output shape without the batch axis; null when it could not be inferred. */
  shape: number[] | null;
  /** What the output is (tokens, sequence, vector, logits); null when unknown. */
  kind: PortType | null;
  /** Trainable parameter count; null when unknown. */
  params: number | null;
  /** The node's first error, when it has one. */
  error?: string;
}

export interface CheckProblem {
  node?: string;
  edge?: string;
  message: string;
}

/** `wordloom check --json` (docs/cli.md), plus totals and warnings. */
export interface CheckReport {
  ok: boolean;
  nodes: CheckNode[];
  errors: CheckProblem[];
  warnings: CheckProblem[];
  totals: Cost | null;
  /** The memory pre-flight in bytes (core/train/memory.ts): the estimate to train at `batchSize`, and the budget. */
  memory?: { batchSize: number; estimate: number; data: number; budget: number };
}

/** Merges the file's diagnostics with inference's (the same problem found by both is listed once). */
export function buildReport(parsed: ParseResult, analysis: GraphAnalysis | undefined): CheckReport {
  const seen = new Set<string>();
  const all: Diagnostic[] = [];
  for (const d of [...parsed.diagnostics, ...(analysis?.diagnostics ?? [])]) {
    const key = [d.severity, d.code, d.nodeId, d.edgeId, d.param, d.message].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(d);
  }
  const errors = all.filter((d) => d.severity === 'error');
  const firstError = new Map<string, string>();
  for (const d of errors) if (d.nodeId !== undefined && !firstError.has(d.nodeId)) firstError.set(d.nodeId, d.message);
  const nodes: CheckNode[] = [];
  const ids = new Set<string>();
  for (const n of parsed.graph?.nodes ?? []) {
    if (ids.has(n.id)) continue;
    ids.add(n.id);
    const a = analysis?.nodes[n.id];
    const row: CheckNode = {
      id: n.id,
      type: n.type,
      shape: a?.out?.shape ?? null,
      kind: a?.out?.type ?? null,
      params: a?.cost?.params ?? null,
    };
    const first = firstError.get(n.id);
    if (first !== undefined) row.error = first;
    nodes.push(row);
  }
  return {
    ok: errors.length === 0,
    nodes,
    errors: errors.map(problem),
    warnings: all.filter((d) => d.severity === 'warning').map(problem),
    totals: analysis ? analysis.totals : null,
  };
}

function problem(d: Diagnostic): CheckProblem {
  const p: CheckProblem = { message: d.message };
  if (d.nodeId !== undefined) p.node = d.nodeId;
  if (d.edgeId !== undefined) p.edge = d.edgeId;
  return p;
}
