import type { EvalPoint, StepPoint } from '../../core/run/manifest';

/** An item of a runs list with the run it was fine-tuned from (if any). */
export interface LineageItem {
  id: string;
  parentId?: string;
}

/**
 * A runs list with each pre-train → fine-tune chain kept together: roots in the given order, each child right
 * after its parent (depth 1, 2, … below it). A child whose parent is not listed stays a root, at depth 0.
 */
export function lineageOrder<T extends LineageItem>(items: readonly T[]): { item: T; depth: number }[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string, T[]>();
  for (const i of items)
    if (i.parentId !== undefined && ids.has(i.parentId))
      children.set(i.parentId, [...(children.get(i.parentId) ?? []), i]);
  const out: { item: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (i: T, depth: number): void => {
    if (seen.has(i.id)) return; // a cycle cannot come from training, but a hand-edited file may hold one
    seen.add(i.id);
    out.push({ item: i, depth });
    for (const c of children.get(i.id) ?? []) walk(c, depth + 1);
  };
  for (const i of items) if (i.parentId === undefined || !ids.has(i.parentId)) walk(i, 0);
  for (const i of items) walk(i, 0);
  return out;
}

/** The parent's curves followed by the child's, the child's steps offset by the parent's last step. */
export function continuedCurves(
  parent: { steps: readonly StepPoint[]; evals: readonly EvalPoint[] },
  child: { steps: readonly StepPoint[]; evals: readonly EvalPoint[] },
  offset: number,
): { steps: StepPoint[]; evals: EvalPoint[] } {
  const upTo = <P extends { step: number }>(xs: readonly P[]): P[] => xs.filter((p) => p.step <= offset);
  return {
    steps: [...upTo(parent.steps), ...child.steps.map((p) => ({ ...p, step: p.step + offset }))],
    evals: [...upTo(parent.evals), ...child.evals.map((p) => ({ ...p, step: p.step + offset }))],
  };
}
