import * as tf from '@tensorflow/tfjs';
import type { Expansion } from '../shapes/expand';
import type { Graph } from '../graph/model';
import type { Binding } from '../nodes/define';
import { compileGraph } from './compile';
import { nodeWeights, type NodeWeight } from './node-weights';

/** A compiled model and the graph it was compiled from. */
export interface CompiledGraph {
  model: tf.LayersModel;
  graph: Graph;
}

/** "block_1/ln1_gamma" → "ln1_gamma": a weight's name inside its layer. */
const shortName = (w: NodeWeight): string => w.name.slice(w.name.lastIndexOf('/') + 1);

const sameShape = (a: NodeWeight, b: NodeWeight): boolean =>
  a.variable.shape.length === b.variable.shape.length && a.variable.shape.every((d, i) => d === b.variable.shape[i]);

/**
 * Copies the weights of `before` into `after`, where `after` is `before` with one block expanded: the
 * expanded primitives take the block's weights by name (the Composite's mapping), every other node takes
 * its own by id. Returns the number of scalars copied. A shape or count that does not line up is our bug
 * (the node def's mapping), so it throws naming the weight.
 */
export function copyExpandedWeights(
  before: CompiledGraph,
  after: CompiledGraph,
  expansion: Expansion,
  binding: Binding,
): number {
  const from = nodeWeights(before.model, before.graph, binding);
  const to = nodeWeights(after.model, after.graph, binding);
  const block = new Map((from.get(expansion.blockId) ?? []).map((w) => [shortName(w), w]));
  const pairs: [NodeWeight, NodeWeight][] = [];
  for (const [id, mine] of to) {
    // Own keys only: a node id such as "constructor" is not a weight list (issue 12).
    const names = Object.hasOwn(expansion.weights, id) ? expansion.weights[id] : undefined;
    const theirs = names
      ? names.map((n) => {
          const w = block.get(n);
          if (!w) throw new Error(`Expanding "${expansion.blockId}": it has no weight "${n}" for "${id}"`);
          return w;
        })
      : (from.get(id) ?? []);
    if (theirs.length !== mine.length)
      throw new Error(`"${id}" has ${mine.length} weight tensors but ${theirs.length} map onto it`);
    mine.forEach((w, i) => {
      if (!sameShape(w, theirs[i]))
        throw new Error(`${w.name} is [${w.variable.shape}] but ${theirs[i].name} is [${theirs[i].variable.shape}]`);
      pairs.push([w, theirs[i]]);
    });
  }
  let copied = 0;
  for (const [dst, src] of pairs) {
    dst.variable.write(src.variable.read());
    copied += dst.variable.read().size;
  }
  return copied;
}

/**
 * The check behind "same weights, same logits": compiles `before` and its expansion, gives `before` seeded
 * random weights (±0.25), moves them over with copyExpandedWeights, and runs both on `tokens` (B rows of T
 * ids). Returns the largest logit difference and the largest logit (so a near-zero output cannot pass for
 * agreement). Used by the e2e test through the test hook, in the page's own tf.js.
 */
export function expansionLogitDiff(
  before: Graph,
  expansion: Expansion,
  binding: Binding,
  tokens: number[][],
  seed = 7,
): { maxDiff: number; scale: number; copied: number } {
  const a = compileGraph(before, binding);
  const b = compileGraph(expansion.graph, binding);
  try {
    if (!a.ok) throw new Error(`The graph does not compile: ${a.diagnostics.map((d) => d.message).join('; ')}`);
    if (!b.ok)
      throw new Error(`The expanded graph does not compile: ${b.diagnostics.map((d) => d.message).join('; ')}`);
    a.model.weights.forEach((w, i) => {
      const value = tf.randomUniform(w.shape as number[], -0.25, 0.25, 'float32', seed + i);
      w.write(value);
      value.dispose();
    });
    const copied = copyExpandedWeights(
      { model: a.model, graph: before },
      { model: b.model, graph: expansion.graph },
      expansion,
      binding,
    );
    const [maxDiff, scale] = tf.tidy(() => {
      const x = tf.tensor2d(tokens, undefined, 'int32');
      const ya = a.model.predict(x) as tf.Tensor;
      const yb = b.model.predict(x) as tf.Tensor;
      return [tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0], tf.max(tf.abs(ya)).dataSync()[0]];
    });
    return { maxDiff, scale, copied };
  } finally {
    if (a.ok) a.model.dispose();
    if (b.ok) b.model.dispose();
  }
}
