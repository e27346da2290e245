import * as tf from '@tensorflow/tfjs';
import { hasLayerNormKernels, layerNormGradOp, layerNormKernelOp } from '../kernels/layer-norm';
import { GELU_GRAD_KERNEL, GELU_KERNEL, hasGeluKernels } from '../kernels/gelu';

/**
 * LayerNorm and exact GELU with hand-written gradients (tf.customGrad). Autodiff of the op-by-op formulas
 * (reference versions below, kept for the tests) differentiates tf.moments and erf piece by piece: ~30 kernel calls
 * for one LayerNorm's backward, ~12 for GELU's. The gradients here are the closed forms, about a third of that,
 * on every backend. The forward values are the same formulas (within float32 rounding). On cpu and wasm LayerNorm
 * is one kernel call each way (core/kernels/layer-norm.ts); on wasm GELU is too (core/kernels/gelu.ts).
 */

/** (x − mean) / sqrt(var + ε) · γ + β over the last axis, differentiated by autodiff (the reference). */
export function layerNormReference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true); // (..., D) -> (..., 1)
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** x·Φ(x) with Φ from erf, differentiated by autodiff (the reference). */
export const geluReference = (x: tf.Tensor): tf.Tensor =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

/** LayerNorm over the last axis of x (..., D) with γ, β of shape (D); gradients in closed form. */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const dim = x.shape[x.shape.length - 1];
  if (dim === undefined || gamma.shape.length !== 1 || gamma.shape[0] !== dim || beta.shape[0] !== dim)
    throw new Error(
      `fusedLayerNorm: x [${x.shape}] needs gamma and beta of shape [${dim}], got [${gamma.shape}], [${beta.shape}]`,
    );
  if (hasLayerNormKernels()) return layerNormByKernel(x, gamma, beta, epsilon);
  const f = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const [input, g, b] = args as tf.Tensor[];
    const save = args[3] as (t: tf.Tensor[]) => void;
    const centered = tf.sub(input, tf.mean(input, -1, true)); // (..., D)
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), epsilon)); // (..., 1)
    const xhat = tf.mul(centered, rstd); // (..., D)
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [xh, rs, gm] = saved;
        const rows = [-1, dim];
        const dGamma = tf.sum(tf.reshape(tf.mul(grad, xh), rows), 0); // Σ dy·x̂ over every row
        const dBeta = tf.sum(tf.reshape(grad, rows), 0);
        const gx = tf.mul(grad, gm); // dL/dx̂
        // dx = rstd · (gx − mean(gx) − x̂ · mean(gx · x̂)), all over the last axis
        const dx = tf.mul(tf.sub(tf.sub(gx, tf.mean(gx, -1, true)), tf.mul(xh, tf.mean(tf.mul(gx, xh), -1, true))), rs);
        return [dx, dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta);
}

function layerNormByKernel(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const held = gamma instanceof tf.Variable ? gamma : undefined; // a variable lives past the backward: no saved copy
  const f = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const [input, g, b] = args as tf.Tensor[];
    const save = args[3] as (t: tf.Tensor[]) => void;
    const [y, xhat, rstd] = layerNormKernelOp(input, g, b, epsilon);
    save(held ? [xhat, rstd] : [xhat, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xh, rs] = saved;
        const gm = held ?? saved[2];
        return layerNormGradOp(Array.isArray(dy) ? dy[0] : dy, xh, rs, gm);
      },
    };
  });
  return f(x, gamma, beta);
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Exact GELU x·Φ(x) as our kernel each way (wasm, gelu.ts): x is the only tensor the backward keeps. */
function geluByKernel(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as (t: tf.Tensor[]) => void;
    save([input]);
    return {
      value: (tf.engine().runKernel(GELU_KERNEL, { x: input }) as tf.Tensor[])[0], // our kernels return lists
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const grad = Array.isArray(dy) ? dy[0] : dy;
        return [(tf.engine().runKernel(GELU_GRAD_KERNEL, { dy: grad, x: saved[0] }) as tf.Tensor[])[0]];
      },
    };
  });
  return f(x);
}

/** Exact GELU x·Φ(x); the gradient Φ(x) + x·φ(x) in closed form, reusing Φ from the forward. */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  if (x.dtype === 'float32' && hasGeluKernels()) return geluByKernel(x);
  const f = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as (t: tf.Tensor[]) => void;
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(input, Math.SQRT1_2)), 1), 0.5); // Φ(x)
    save([input, cdf]);
    return {
      value: tf.mul(input, cdf),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [xs, phi] = saved;
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(xs), -0.5)), INV_SQRT_2PI); // φ(x)
        return [tf.mul(grad, tf.add(phi, tf.mul(xs, pdf)))];
      },
    };
  });
  return f(x);
}

/** tf.js' own LayerNormalization layer class (not exported by tf.js by name). */
const StockLayerNormalization = tf.layers.layerNormalization({}).constructor as typeof tf.layers.Layer &
  (new (args: Parameters<typeof tf.layers.layerNormalization>[0]) => tf.layers.Layer);

/**
 * tf.js' LayerNormalization computing its usual case, one axis (the last) with both γ and β, by fusedLayerNorm:
 * the stock call composes tf.moments and batchNorm, ~10 kernels forward and ~40 under autodiff (a Mini GPT's
 * final norm was a tenth of its step's kernel calls). Same class name, config and weights: registered under the
 * stock name (the LayerNorm node lists it), saved models and tf.js exports load as this class, and plain tf.js
 * without Wordloom's layers loads them as its own (equal within float32 rounding). Any other case runs the stock
 * call.
 */
export class FusedLayerNormalization extends StockLayerNormalization {
  static className = 'LayerNormalization';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const field = (name: string): unknown => Reflect.get(this, name);
    const [axis, gamma, beta, epsilon] = ['axis', 'gamma', 'beta', 'epsilon'].map(field);
    const last = Array.isArray(axis) && axis.length === 1 && x !== undefined && axis[0] === x.rank - 1;
    if (
      !last ||
      !(gamma instanceof tf.LayerVariable) ||
      !(beta instanceof tf.LayerVariable) ||
      typeof epsilon !== 'number'
    )
      return super.call(inputs, kwargs);
    return tf.tidy(() => fusedLayerNorm(x, gamma.read(), beta.read(), epsilon));
  }
}
