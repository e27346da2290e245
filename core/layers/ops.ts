import * as tf from '@tensorflow/tfjs';
import { takesBatchedRows } from '../kernels/direct-matmul';
import { fusedGelu, fusedLayerNorm } from './fused-norm';

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

/**
 * Padding id 0 is never a real token: (B, T) ids -> (B, T) float32, 1 for real tokens and 0 for padding.
 * The zero takes the ids' dtype: a plain 0 is float32, which made notEqual cast both sides first (two kernels).
 */
export const keepMask = (tokens: tf.Tensor): tf.Tensor =>
  tf.cast(tf.notEqual(tokens, tf.scalar(0, tokens.dtype)), 'float32');

/**
 * a + b for two tensors of one shape (a residual connection), as one recorded op whose gradient hands dy to both
 * inputs: tf.js's Add gradient reshapes dy once per input (two kernels) to undo a broadcast there is none of.
 * Other shapes take tf.add.
 */
export function addSame(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]) || a.dtype !== b.dtype)
    return tf.add(a, b);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y] = args as tf.Tensor[];
    return {
      value: tf.add(x, y),
      // One input gets dy itself, the other its own handle: the tape may free one gradient while adding into it.
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const grad = Array.isArray(dy) ? dy[0] : dy;
        return [grad, tf.clone(grad)];
      },
    };
  });
  return f(a, b);
}

/** Exact GELU, x·Φ(x) with Φ from erf (not the tanh approximation); the same formula as tf.js's 'gelu' activation. */
export const gelu = (x: tf.Tensor): tf.Tensor => fusedGelu(x); // closed-form gradient (fused-norm.ts)

/** LayerNorm over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return fusedLayerNorm(x, gamma, beta, epsilon); // closed-form gradient (fused-norm.ts)
}

/** x·W + b over the last axis for a (B, T, D) or (B, D) input, differentiated by autodiff (the reference). */
export function denseReference(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = denseDims(x, kernel);
  const flat = tf.reshape(x, [-1, inDim]); // (..., D) -> (N, D)
  const y = tf.add(tf.matMul(flat, kernel), bias); // (N, D) @ (D, E) -> (N, E)
  return tf.reshape(y, [...x.shape.slice(0, -1), outDim]); // (N, E) -> (..., E)
}

function denseDims(x: tf.Tensor, kernel: tf.Tensor): [number, number] {
  const inDim = x.shape[x.shape.length - 1];
  const outDim = kernel.shape[1];
  if (inDim === undefined || outDim === undefined || kernel.shape[0] !== inDim)
    throw new Error(`dense: bad shapes ${x.shape} x ${kernel.shape}`);
  return [inDim, outDim];
}

/**
 * x·W + b over the last axis for a (B, T, D) or (B, D) input, as one recorded op: the forward is one fused
 * matmul-with-bias kernel; the gradient is dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ dy over rows. Autodiff of the
 * reshape–matMul–add–reshape chain records four ops, keeps six tensors and spends four reshapes and a sum on the
 * broadcast bias: ~18 kernel calls per dense per step against ~10 here. Where the backend's _FusedMatMul is ours
 * (wasm), the forward and dx are single kernel calls on the (…, D) tensors, with no reshape around them; a
 * variable W is held by the closure instead of a saved copy (it cannot be freed before the backward runs).
 */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = denseDims(x, kernel);
  const inShape = x.shape;
  const outShape = [...inShape.slice(0, -1), outDim];
  const direct = takesBatchedRows() && x.size > 0;
  const held = kernel instanceof tf.Variable ? kernel : undefined;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const flat = direct ? input : tf.reshape(input, [-1, inDim]); // (..., D) -> (N, D)
    save(held ? [flat] : [flat, w]);
    const linear = { transposeA: false, transposeB: false, activation: 'linear' };
    const value = direct
      ? (tf.engine().runKernel('_FusedMatMul', { a: input, b: w, bias: b }, linear) as tf.Tensor) // (..., E)
      : tf.reshape(tf.fused.matMul({ a: flat, b: w, bias: b }), outShape); // (N, D) @ (D, E) + b -> (..., E)
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const xs = saved[0];
        const ws = held ?? saved[1];
        if (!xs || !ws) throw new Error('dense: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const g = tf.reshape(grad, [-1, outDim]); // (N, E)
        const dx = direct
          ? (tf.engine().runKernel('BatchMatMul', { a: grad, b: ws }, { transposeA: false, transposeB: true }) as tf.Tensor)
          : tf.reshape(tf.matMul(g, ws, false, true), inShape);
        const xFlat = direct ? tf.reshape(xs, [-1, inDim]) : xs;
        return [dx, tf.matMul(xFlat, g, true, false), tf.sum(g, 0)];
      },
    };
  });
  return f(x, kernel, bias);
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
