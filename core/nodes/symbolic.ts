import * as tf from '@tensorflow/tfjs';

type Applied = ReturnType<tf.layers.Layer['apply']>;

/** The one symbolic output of `layer.apply(...)` while building a graph; anything else is a bug. */
export function symbolic(applied: Applied, what: string): tf.SymbolicTensor {
  if (applied instanceof tf.SymbolicTensor) return applied;
  throw new Error(`${what}: expected one symbolic tensor from layer.apply while building the model`);
}

/** All symbolic outputs of a multi-output layer application, in order. */
export function symbolicList(applied: Applied, what: string): tf.SymbolicTensor[] {
  const list = Array.isArray(applied) ? applied : [applied];
  return list.map((t) => symbolic(t, what));
}
