import type * as tf from '@tensorflow/tfjs';
import type { Graph } from '../graph/model';
import type { Binding } from '../nodes/define';
import { inferGraph } from '../shapes/infer';
import { TOKENS_INPUT } from './compile';
import { layerNames } from './names';

/** One weight tensor of a node: its name inside the model ("ff_up/kernel") and the variable holding it. */
export interface NodeWeight {
  name: string;
  variable: tf.LayerVariable;
}

/**
 * The weights each node of `graph` owns in `model`, in build order. compileGraph names a node's layers after
 * the node (`layerNames`: the name, or the name plus `_…` for a node that builds several layers), so the layers
 * of a node are found by that name again. A tied NextTokenHead reuses its Embedding's layer and owns nothing.
 */
export function nodeWeights(model: tf.LayersModel, graph: Graph, binding: Binding): Map<string, NodeWeight[]> {
  const order = inferGraph(graph, binding).order;
  const names = layerNames(order, [TOKENS_INPUT]);
  const out = new Map<string, NodeWeight[]>();
  for (const id of order) {
    const name = names.get(id) ?? id;
    const mine = model.layers.filter((l) => l.name === name || l.name.startsWith(`${name}_`));
    out.set(
      id,
      mine.flatMap((l) => l.weights.map((w) => ({ name: w.originalName, variable: w }))),
    );
  }
  return out;
}
