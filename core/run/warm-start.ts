import type * as tf from '@tensorflow/tfjs';
import { nodeWeights, type NodeWeight } from '../compile/node-weights';
import type { Graph } from '../graph/model';
import type { Binding } from '../nodes/define';
import type { RunManifest } from './manifest';

/** What became of one node's weights when a run starts from a trained one. */
export type WarmStatus = 'loaded' | 'new' | 'refused';

export interface WarmNode {
  nodeId: string;
  type: string;
  status: WarmStatus;
  /** Scalars the node holds (what was copied, or initialised at random). */
  params: number;
  /** Why a node is new or refused. */
  reason?: string;
}

export interface WarmStartReport {
  parentId: string;
  parentName: string;
  parentStep: number;
  /** Every node of the new graph that has weights, in build order. */
  nodes: WarmNode[];
  /** Parent nodes with weights that the new graph no longer has. */
  dropped: string[];
}

/** A trained run to start from: its manifest (graph, binding, steps) and its model. */
export interface WarmStartParent {
  manifest: RunManifest;
  model: tf.LayersModel;
}

/** Raised under `strict` when a node of the parent could not be loaded. */
export class WarmStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarmStartError';
  }
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const fmtShape = (shape: readonly number[]): string => `(${shape.join(', ')})`;

/** The parent's last trained step (its result, else its last logged step). */
export const parentStep = (m: RunManifest): number => m.result?.steps ?? m.metrics.steps.at(-1)?.step ?? 0;

/** Why `mine` cannot take `theirs`, or undefined when every tensor's shape matches. */
function mismatch(mine: NodeWeight[], theirs: NodeWeight[]): string | undefined {
  if (theirs.length === 0) return "the parent's has no weights of its own (a tied head reuses the Embedding's)";
  if (mine.length !== theirs.length)
    return `it has ${mine.length} weight tensors and the parent's has ${theirs.length}`;
  for (let i = 0; i < mine.length; i++) {
    const a = mine[i].variable.shape as number[];
    const b = theirs[i].variable.shape as number[];
    if (a.length !== b.length || a.some((x, k) => x !== b[k]))
      return `${mine[i].name} is ${fmtShape(a)} but the parent's is ${fmtShape(b)}`;
  }
  return undefined;
}

/**
 * Loads the parent's weights into `model` by node id, where the node type and every weight shape match;
 * other nodes keep their random initial weights. With `strict`, any refusal throws a WarmStartError instead
 * (before anything is copied).
 */
export function warmStart(
  model: tf.LayersModel,
  graph: Graph,
  binding: Binding,
  parent: WarmStartParent,
  strict = false,
): WarmStartReport {
  const pm = parent.manifest;
  const mine = nodeWeights(model, graph, binding);
  const theirs = nodeWeights(parent.model, pm.graph, pm.binding);
  const parentType = new Map(pm.graph.nodes.map((n) => [n.id, n.type]));
  const nodes: WarmNode[] = [];
  const copies: [NodeWeight, NodeWeight][] = [];
  for (const n of graph.nodes) {
    const ws = mine.get(n.id) ?? [];
    if (!ws.length) continue;
    const params = ws.reduce((t, w) => t + size(w.variable.shape as number[]), 0);
    const base = { nodeId: n.id, type: n.type, params };
    const pType = parentType.get(n.id);
    let reason: string | undefined;
    if (pType === undefined) {
      nodes.push({ ...base, status: 'new', reason: 'not in the parent' });
      continue;
    }
    if (pType !== n.type) reason = `the parent's "${n.id}" is a ${pType}`;
    else reason = mismatch(ws, theirs.get(n.id) ?? []);
    if (reason) {
      nodes.push({ ...base, status: 'refused', reason });
      continue;
    }
    nodes.push({ ...base, status: 'loaded' });
    ws.forEach((w, i) => copies.push([w, theirs.get(n.id)![i]]));
  }
  const refused = nodes.filter((x) => x.status === 'refused');
  if (strict && refused.length) {
    const one = (x: WarmNode): string => `node "${x.nodeId}" (${x.type})`;
    throw new WarmStartError(
      refused.length === 1
        ? `--strict: ${one(refused[0])} cannot take the weights of "${pm.name}": ${refused[0].reason}.`
        : `--strict: ${refused.length} nodes cannot take the weights of "${pm.name}": ${refused.map((x) => `${one(x)}: ${x.reason}`).join('; ')}.`,
    );
  }
  for (const [to, from] of copies) to.variable.write(from.variable.read());
  const ids = new Set(graph.nodes.map((n) => n.id));
  const dropped = [...theirs.entries()].filter(([id, w]) => w.length && !ids.has(id)).map(([id]) => id);
  return { parentId: pm.id, parentName: pm.name, parentStep: parentStep(pm), nodes, dropped };
}
