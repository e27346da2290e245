import * as tf from '@tensorflow/tfjs';
import { fusedAdamW, hasFusedAdamW } from '../kernels/adamw';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Clip the global gradient norm to this; 0 turns clipping off. */
  gradClip: number;
}

/** Wordloom's AdamW settings (β 0.9/0.99, ε 1e-8, nanoGPT's) with a run's weight decay and clipping. */
export function adamWFor(config: { weightDecay: number; gradClip: number }): AdamW {
  return new AdamW({
    beta1: 0.9,
    beta2: 0.99,
    epsilon: 1e-8,
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
  });
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, applied to matrices only
 * (rank ≥ 2), as nanoGPT does — biases and LayerNorm gains are not decayed.
 * tf.js ships Adam but not AdamW, and its optimizers cannot clip the global norm.
 */
export class AdamW {
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private t = 0;

  constructor(private readonly opts: AdamWOptions) {}

  /** Applies one update; returns the global gradient norm (before clipping) as a scalar the caller disposes. */
  apply(vars: tf.Variable[], grads: tf.NamedTensorMap, lr: number): tf.Scalar {
    this.t += 1;
    const { beta1, beta2, epsilon, weightDecay, gradClip } = this.opts;
    const bias1 = 1 - beta1 ** this.t;
    const bias2 = 1 - beta2 ** this.t;
    return tf.tidy(() => {
      const present = vars.filter((v) => grads[v.name] != null);
      if (hasFusedAdamW() && present.length > 0) {
        // cpu and wasm: one kernel call for every variable (core/kernels/adamw.ts), the same math as below.
        const states = present.map((v) => this.state(v));
        const { norm, next } = fusedAdamW(
          present.map((v, i) => ({ p: v, g: grads[v.name], m: states[i].m, v: states[i].v })),
          {
            lr,
            beta1,
            beta2,
            epsilon,
            weightDecay,
            gradClip,
            bias1,
            bias2,
            decay: present.map((v) => (v.shape.length >= 2 ? 1 : 0)),
          },
        );
        next.forEach((n, i) => {
          present[i].assign(n.p);
          states[i].m.assign(n.m);
          states[i].v.assign(n.v);
        });
        return tf.keep(norm);
      }
      const sq = present.map((v) => tf.sum(tf.square(grads[v.name])));
      const norm = sq.length > 0 ? tf.sqrt(tf.addN(sq)) : tf.scalar(0);
      const scale = gradClip > 0 ? tf.minimum(1, tf.div(gradClip, tf.add(norm, 1e-6))) : tf.scalar(1);
      for (const v of present) {
        const g = tf.mul(grads[v.name], scale);
        const state = this.state(v);
        state.m.assign(tf.add(tf.mul(state.m, beta1), tf.mul(g, 1 - beta1)));
        state.v.assign(tf.add(tf.mul(state.v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(state.m, bias1), tf.add(tf.sqrt(tf.div(state.v, bias2)), epsilon));
        const decayed = v.shape.length >= 2 && weightDecay > 0 ? tf.mul(v, 1 - lr * weightDecay) : v;
        v.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
      return tf.keep(norm) as tf.Scalar;
    });
  }

  private state(v: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let s = this.moments.get(v.name);
    if (!s) {
      s = { m: tf.variable(tf.zerosLike(v), false), v: tf.variable(tf.zerosLike(v), false) };
      this.moments.set(v.name, s);
    }
    return s;
  }

  dispose(): void {
    for (const s of this.moments.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.moments.clear();
  }
}
