import type * as tf from '@tensorflow/tfjs';
import { nodeWeights } from '../compile/node-weights';
import type { Graph } from '../graph/model';
import type { Binding } from '../nodes/define';

/** `--freeze` and the app's freeze toggles: node ids, or this word for every node except the head. */
export const FREEZE_ALL_BUT_HEAD = 'all-but-head';

export class FreezeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FreezeError';
  }
}

/** The node ids a freeze list names (`all-but-head` expands); an unknown id is a FreezeError naming it. */
export function resolveFreeze(list: readonly string[], graph: Graph, headId: string): string[] {
  const ids = graph.nodes.map((n) => n.id);
  const out = new Set<string>();
  for (const raw of list) {
    const item = raw.trim();
    if (!item) continue;
    if (item === FREEZE_ALL_BUT_HEAD) ids.filter((id) => id !== headId).forEach((id) => out.add(id));
    else if (ids.includes(item)) out.add(item);
    else
      throw new FreezeError(
        `Cannot freeze "${item}": the graph "${graph.name}" has no such node (its nodes: ${ids.join(', ')}).`,
      );
  }
  return [...out];
}

/**
 * The names of the tf.js variables of the frozen nodes. The trainer leaves them out of the gradient and the
 * optimizer altogether, so neither the update nor AdamW's weight decay touches them: they stay bit-identical.
 */
export function frozenVariables(
  model: tf.LayersModel,
  graph: Graph,
  binding: Binding,
  nodeIds: readonly string[],
): Set<string> {
  const weights = nodeWeights(model, graph, binding);
  const names = new Set<string>();
  for (const id of nodeIds) for (const w of weights.get(id) ?? []) names.add((w.variable.read() as tf.Variable).name);
  return names;
}
