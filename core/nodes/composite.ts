/**
 * What a composite node type is made of, for "look inside" and "Expand into blocks" (issue 13, item 4).
 * A node def that is a composite exposes `expand(params)`; core/shapes/expand.ts turns the answer into a
 * graph edit and moves the block's trained weights onto the inner nodes. Types only: no graph, no tf.js.
 */

/** One primitive inside the composite; `key` is unique within it and becomes part of the new node's id. */
export interface InnerNode {
  key: string;
  type: string;
  params: Record<string, number | boolean | string>;
}

/** Where an inner input port reads from: another inner node's output, or one of the block's own inputs. */
export type InnerSource = { node: string } | { input: string };

export interface InnerEdge {
  from: InnerSource;
  to: { node: string; port: string };
}

export interface Composite {
  /** In data-flow order, so a left-to-right layout reads as the block computes. */
  nodes: InnerNode[];
  edges: InnerEdge[];
  /** The inner node whose output is the block's `out`. */
  output: string;
  /**
   * For each inner node that holds weights: the block layer's weight names (the part after the layer's
   * name, e.g. "ln1_gamma"), in the order the inner node's own weights are built. Same weights in, same
   * numbers out: that is what makes an expansion exact.
   */
  weights: Record<string, readonly string[]>;
}
