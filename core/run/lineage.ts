import type { RunManifest } from './manifest';

/** A run as lineage sees it: its id and name, and the parent it started from. */
export type LineageRun = Pick<RunManifest, 'id' | 'name' | 'parent'>;

/**
 * Runs grouped into pre-train → fine-tune chains, each from its root to its leaves in order (a parent
 * before its children). A run whose parent is not among `runs` starts a chain of its own. Runs without
 * a parent or a child form no chain.
 */
export function lineageChains<T extends LineageRun>(runs: readonly T[]): T[][] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const children = new Map<string, T[]>();
  for (const r of runs) {
    const p = r.parent?.runId;
    if (p !== undefined && byId.has(p)) children.set(p, [...(children.get(p) ?? []), r]);
  }
  const chains: T[][] = [];
  for (const r of runs) {
    const isRoot = !(r.parent && byId.has(r.parent.runId));
    if (!isRoot || !(children.has(r.id) || r.parent)) continue;
    const chain: T[] = [];
    const walk = (x: T): void => {
      chain.push(x);
      for (const c of children.get(x.id) ?? []) walk(c);
    };
    walk(r);
    chains.push(chain);
  }
  return chains;
}

/** The parent of `run` among `runs`, if it is there. */
export const parentOf = <T extends LineageRun>(run: LineageRun, runs: readonly T[]): T | undefined =>
  run.parent ? runs.find((r) => r.id === run.parent!.runId) : undefined;

/** Readable lineage lines for `wordloom compare`: "gpt → gpt-ft (from step 300; 6 nodes loaded, frozen: emb)". */
export function lineageLines(runs: readonly (LineageRun & { path: string })[]): string[] {
  return lineageChains(runs).map((chain) => {
    const [root, ...rest] = chain;
    const head = root.parent ? `(run "${root.parent.name}", not listed) → ${label(root)}${detail(root)}` : label(root);
    return [head, ...rest.map((r) => `${label(r)}${detail(r)}`)].join(' → ');
  });
}

const label = (r: LineageRun & { path: string }): string => (r.name === r.path ? r.path : `${r.name} (${r.path})`);

function detail(r: LineageRun): string {
  const p = r.parent;
  if (!p) return '';
  const frozen = p.frozen.length ? `, frozen: ${p.frozen.join(', ')}` : '';
  const refused = p.refused.length ? `, refused: ${p.refused.join(', ')}` : '';
  return ` [from step ${p.step}; ${p.loaded.length} nodes loaded${refused}${frozen}]`;
}
