/** Shapes exclude the batch axis (docs/nodes.md): tokens [T], sequence [T, D], vector [D], logits [T, V] or [C]. */
export type Shape = number[];

/** What flows on an edge. `logits` only leaves a head. */
export type PortType = 'tokens' | 'sequence' | 'vector' | 'logits';

export interface PortValue {
  type: PortType;
  shape: Shape;
}

export const fmt = (s: Shape): string => `[${s.join(', ')}]`;
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Thrown by a node's `infer` for a user-caused problem; the graph inference attaches the node id. */
export class ShapeError extends Error {
  constructor(
    readonly port: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}
