import type { Edge } from './model';

export interface TopoResult {
  /** Nodes not on or downstream of a cycle, parents before children, ties in the given node order. */
  order: string[];
  /** Each cycle's node ids, walked along the edges from its first node in the given order. */
  cycles: string[][];
}

/** Topological order plus every cycle (self-loops included). Edges to unknown ids are ignored. */
export function topoSort(ids: readonly string[], edges: readonly Pick<Edge, 'from' | 'to'>[]): TopoResult {
  const index = new Map(ids.map((id, i) => [id, i]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (!index.has(e.from.node) || !index.has(e.to.node)) continue;
    next.get(e.from.node)?.push(e.to.node);
    indegree.set(e.to.node, (indegree.get(e.to.node) ?? 0) + 1);
  }
  // Kahn: what remains unvisited is on a cycle or downstream of one.
  const order: string[] = [];
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const d = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  if (order.length === ids.length) return { order, cycles: [] };
  const placed = new Set(order);
  const rest = ids.filter((id) => !placed.has(id));
  return { order, cycles: findCycles(rest, next, index) };
}

/**
 * Strongly connected groups of 2+ nodes, or one node with an edge to itself (Tarjan). Iterative, with
 * an explicit stack of (node, next edge) frames: a graph file may hold a cycle or chain of any length.
 */
function findCycles(ids: string[], next: Map<string, string[]>, index: Map<string, number>): string[][] {
  const low = new Map<string, number>();
  const num = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const open = (v: string, frames: { v: string; edge: number }[]): void => {
    num.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    frames.push({ v, edge: 0 });
  };
  const close = (v: string): void => {
    if (low.get(v) !== num.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      group.push(w);
      if (w === v) break;
    }
    if (group.length > 1 || (next.get(v) ?? []).includes(v)) groups.push(group);
  };
  for (const root of ids) {
    if (num.has(root)) continue;
    const frames: { v: string; edge: number }[] = [];
    open(root, frames);
    while (frames.length > 0) {
      const top = frames[frames.length - 1];
      const out = next.get(top.v) ?? [];
      if (top.edge < out.length) {
        const w = out[top.edge++];
        if (!num.has(w)) open(w, frames);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v) ?? 0, num.get(w) ?? 0));
        continue;
      }
      frames.pop();
      close(top.v);
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) ?? 0, low.get(top.v) ?? 0));
    }
  }
  const byIndex = (a: string, b: string): number => (index.get(a) ?? 0) - (index.get(b) ?? 0);
  return groups.map((g) => walk(g.sort(byIndex), next)).sort((a, b) => byIndex(a[0], b[0]));
}

/** Orders a group along its edges from its first node (a breadth-first path back to it), then the rest. */
function walk(group: string[], next: Map<string, string[]>): string[] {
  const members = new Set(group);
  const start = group[0];
  const parent = new Map<string, string>();
  const queue = [start];
  let last: string | undefined;
  for (let head = 0; head < queue.length && last === undefined; head++) {
    for (const w of next.get(queue[head]) ?? []) {
      if (w === start) {
        last = queue[head];
        break;
      }
      if (members.has(w) && !parent.has(w)) {
        parent.set(w, queue[head]);
        queue.push(w);
      }
    }
  }
  const path: string[] = [];
  for (let v = last; v !== undefined && v !== start; v = parent.get(v)) path.push(v);
  const cycle = [start, ...path.reverse()];
  const onCycle = new Set(cycle);
  return [...cycle, ...group.filter((id) => !onCycle.has(id))];
}
