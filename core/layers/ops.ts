import * as tf from '@tensorflow/tfjs';

/** A tf.js symbolic or concrete shape (batch axis included, null = unknown). */
export type LayerShape = (number | null)[];
/** Constructor args every tf.js layer accepts (name, trainable, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
/** The kwargs tf.js passes to `Layer.call` (`training`, `mask`). */
export type CallKwargs = Parameters<tf.layers.Layer['call']>[1];

export type WeightInit = 'kernel' | 'zeros' | 'ones';

/** Creates one weight; layers pass a closure over their protected `addWeight`. */
export type AddWeightFn = (name: string, shape: number[], init: WeightInit) => tf.LayerVariable;

/** Kernels use Glorot uniform (tf.js Dense's default); biases and LayerNorm beta zeros; gamma ones. */
export function initializer(kind: WeightInit): ReturnType<typeof tf.initializers.zeros> {
  if (kind === 'kernel') return tf.initializers.glorotUniform({});
  return kind === 'ones' ? tf.initializers.ones() : tf.initializers.zeros();
}

/** Padding id 0 is never a real token: (B, T) ids -> (B, T) float32, 1 for real tokens and 0 for padding. */
export const keepMask = (tokens: tf.Tensor): tf.Tensor => tf.cast(tf.notEqual(tokens, 0), 'float32');

/** Exact GELU, x·Φ(x) with Φ from erf (not the tanh approximation); the same formula as tf.js's 'gelu' activation. */
export const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

/** LayerNorm over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true); // (..., D) -> (..., 1)
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** x·W + b over the last axis for a (B, T, D) or (B, D) input. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const outDim = kernel.shape[1];
  if (inDim === undefined || outDim === undefined) throw new Error(`dense: bad shapes ${x.shape} x ${kernel.shape}`);
  const flat = tf.reshape(x, [-1, inDim]); // (..., D) -> (N, D)
  const y = tf.add(tf.matMul(flat, kernel), bias); // (N, D) @ (D, E) -> (N, E)
  return tf.reshape(y, [...x.shape.slice(0, -1), outDim]); // (N, E) -> (..., E)
}

/** Narrows a layer's `call` inputs to exactly [x, tokens]. */
export function pair(inputs: tf.Tensor | tf.Tensor[], layer: string): [tf.Tensor, tf.Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2)
    throw new Error(`${layer} expects [x, tokens], got ${describe(inputs)}`);
  return [inputs[0], inputs[1]];
}

/** Narrows `computeOutputShape` inputs to exactly [xShape, tokensShape]. */
export function shapePair(shapes: LayerShape | LayerShape[], layer: string): [LayerShape, LayerShape] {
  const [a, b] = isShapeList(shapes) ? shapes : [];
  if (shapes.length !== 2 || !a || !b)
    throw new Error(`${layer} expects shapes [x, tokens], got ${JSON.stringify(shapes)}`);
  return [a, b];
}

/** Narrows a single-tensor `call` input. */
export function single(inputs: tf.Tensor | tf.Tensor[], layer: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${layer} expects one input, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

/** Narrows a single input shape. */
export function singleShape(shapes: LayerShape | LayerShape[], layer: string): LayerShape {
  if (!isShapeList(shapes)) return shapes;
  const [only] = shapes;
  if (shapes.length !== 1 || !only) throw new Error(`${layer} expects one input shape, got ${JSON.stringify(shapes)}`);
  return only;
}

const isShapeList = (s: LayerShape | LayerShape[]): s is LayerShape[] => Array.isArray(s[0]);

function describe(inputs: tf.Tensor | tf.Tensor[]): string {
  return Array.isArray(inputs) ? `${inputs.length} tensors` : 'one tensor';
}
