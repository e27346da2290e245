import type { Graph } from './model';

/** "LSTM" → "lstm", "NextTokenHead" → "next_token_head": the readable stem of a node id. */
export function idStem(type: string): string {
  const snake = type
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return snake || 'node';
}

/** The first `${stem}_${n}` (n = 1, 2, …) not in `used`; adds it to `used`. */
export function freshId(used: Set<string>, stem: string): string {
  for (let n = 1; ; n++) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** The first `e${n}` not in `used`; adds it to `used`. */
export function freshEdgeId(used: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `e${n}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

export const nodeIds = (g: Graph): Set<string> => new Set(g.nodes.map((n) => n.id));
export const edgeIds = (g: Graph): Set<string> => new Set(g.edges.map((e) => e.id));
