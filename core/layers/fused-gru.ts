import * as tf from '@tensorflow/tfjs';
import { canRunGruSequence, gruSequence, gruSequenceGrad } from '../kernels/gru-sequence';

/**
 * The masked GRU recurrence over a whole sequence as one recorded op, with backpropagation through time written
 * out, as fused-lstm.ts does for the LSTM. Autodiff of the step-by-step ops (recurrence.ts, kept as the
 * reference) records ~50 kernels per step and keeps each one's inputs: ~6,500 kernel calls per GRU LM training
 * step at T = 64. Here the forward runs unrecorded and keeps the states and gates; the backward walks the steps in
 * reverse with the closed-form cell gradient, and the recurrent kernel's gradient is two products over all steps.
 * On wasm both directions are one kernel call each (core/kernels/gru-sequence.ts).
 *
 * Keras' GRU with reset_after=false, gates z, r, h (each a block of H columns of U), logistic sigmoid, state
 * carried unchanged where the keep mask is 0:
 *   z = σ(x_z + h·U_z),  r = σ(x_r + h·U_r),  hc = tanh(x_h + (r⊙h)·U_h),  h' = hc + z⊙(h − hc),
 *   h ← h + m⊙(h' − h).
 * Backward, with dh the gradient reaching h after the step and dh' = m⊙dh:
 *   dA_z = dh'⊙(h − hc)⊙z(1 − z),  dA_h = dh'⊙(1 − z)⊙(1 − hc²),  d(r⊙h) = dA_h·U_hᵀ,  dA_r = d(r⊙h)⊙h⊙r(1 − r),
 *   dh_before = (1 − m)⊙dh + dh'⊙z + d(r⊙h)⊙r + [dA_z, dA_r]·U_zrᵀ,
 *   dU_zr = Σ_t h_tᵀ·[dA_z, dA_r],  dU_h = Σ_t (r⊙h_t)ᵀ·dA_h   (h_t: the state before step t).
 */

/**
 * `projections` (T, B, 3H): x_t·W + b of every step, in time order; `recurrentKernel` (H, 3H); `masks`
 * (T, B, 1) of 0/1 (constant: no gradient). Steps run from t = 0 up, or from T − 1 down when `backwards`.
 * Returns the state after each time position (T, B, H), in time order.
 */
export function fusedGru(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const [seqLen, batch, width] = projections.shape;
  const units = recurrentKernel.shape[0];
  if (seqLen === undefined || batch === undefined || width === undefined || units === undefined || width !== 3 * units)
    throw new Error(`fusedGru: projections [${projections.shape}] need (T, B, 3H) for H = ${units}`);
  if (canRunGruSequence(units)) return asOneKernel(projections, recurrentKernel, masks, backwards);
  const order = Array.from({ length: seqLen }, (_, s) => (backwards ? seqLen - 1 - s : s));
  const state = [batch, units];

  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [uZr, uH] = tf.split(u, [2 * units, units], 1); // (H, 2H), (H, H)
    const xs = tf.unstack(proj); // T × (B, 3H)
    const ms = tf.unstack(masks); // T × (B, 1)
    // Per time position: the state before the step and its gates.
    const kept: Record<'h' | 'z' | 'r' | 'hc', tf.Tensor[]> = { h: [], z: [], r: [], hc: [] };
    const outs = new Array<tf.Tensor>(seqLen);
    let h: tf.Tensor = tf.zeros(state);
    for (const t of order) {
      const [z, r, hc, hNext] = tf.tidy(() => {
        const [xz, xr, xh] = tf.split(at(xs, t), 3, 1); // (B, 3H) -> 3 × (B, H)
        const [hz, hr] = tf.split(tf.matMul(h, uZr), 2, 1); // (B, H) @ (H, 2H) -> 2 × (B, H)
        const [zt, rt] = [tf.sigmoid(tf.add(xz, hz)), tf.sigmoid(tf.add(xr, hr))];
        const hcT = tf.tanh(tf.add(xh, tf.matMul(tf.mul(rt, h), uH))); // (B, H) @ (H, H)
        const hNew = tf.add(hcT, tf.mul(zt, tf.sub(h, hcT)));
        return [zt, rt, hcT, tf.add(h, tf.mul(at(ms, t), tf.sub(hNew, h)))]; // padding (m = 0) carries the state
      });
      Object.entries({ h, z, r, hc }).forEach(([k, v]) => (kept[k as keyof typeof kept][t] = v));
      h = hNext;
      outs[t] = h;
    }
    tf.dispose([uZr, uH, ...xs, ...ms]);
    // Time order, stacked: (T, B, H) each. customGrad runs the forward in a tidy, which frees the per-step tensors.
    save([kept.h, kept.z, kept.r, kept.hc].map((list) => tf.stack(list)).concat(masks, u));
    return {
      value: tf.stack(outs), // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        if (saved.length !== 6) throw new Error('fusedGru: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [H, Z, R, HC, M, DY] = [...saved.slice(0, 5), grad].map((s) => tf.unstack(s ?? tf.scalar(NaN)));
        const [uZrT, uHT] = tf.tidy(() => tf.split(at(saved, 5), [2 * units, units], 1).map((b) => tf.transpose(b)));
        const dA = new Array<tf.Tensor>(seqLen);
        const rh = new Array<tf.Tensor>(seqLen);
        let dh: tf.Tensor = tf.zeros(state); // from the step after, in processing order
        for (const [s, t] of [...order.entries()].reverse()) {
          const [h, z, r, hc, m] = [at(H, t), at(Z, t), at(R, t), at(HC, t), at(M, t)];
          const [da, rht, dhPrev] = tf.tidy(() => {
            const dhAll = tf.add(at(DY, t), dh); // (B, H)
            const dhNew = tf.mul(m, dhAll); // through h' (real tokens only)
            const daz = tf.mul(tf.mul(dhNew, tf.sub(h, hc)), tf.mul(z, tf.sub(1, z)));
            const dah = tf.mul(tf.mul(dhNew, tf.sub(1, z)), tf.sub(1, tf.square(hc)));
            const drh = tf.matMul(dah, uHT); // (B, H)
            const dar = tf.mul(tf.mul(drh, h), tf.mul(r, tf.sub(1, r)));
            const direct = tf.add(tf.add(tf.sub(dhAll, dhNew), tf.mul(dhNew, z)), tf.mul(drh, r));
            // the step before the first one taken has no state to pass a gradient to
            const dzr = tf.concat([daz, dar], 1); // (B, 2H)
            return [tf.concat([dzr, dah], 1), tf.mul(r, h), s > 0 ? tf.add(direct, tf.matMul(dzr, uZrT)) : direct];
          });
          dA[t] = da;
          rh[t] = rht;
          dh.dispose();
          dh = dhPrev;
        }
        const dProj = tf.stack(dA); // (T, B, 3H)
        const dU = tf.tidy(() => uGrad(at(saved, 0), tf.stack(rh), dProj, units));
        tf.dispose([dh, uZrT, uHT, ...dA, ...rh, ...H, ...Z, ...R, ...HC, ...M, ...DY]);
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/**
 * dU (H, 3H) from the states before each step `hs` (T, B, H), r⊙hs `rhs` (T, B, H) and the projections'
 * gradient (T, B, 3H): [hsᵀ·dA_zr, rhsᵀ·dA_h], each a product over all steps at once.
 */
function uGrad(hs: tf.Tensor, rhs: tf.Tensor, dProj: tf.Tensor, units: number): tf.Tensor {
  const rows = dProj.size / (3 * units);
  const [dZr, dH] = tf.split(tf.reshape(dProj, [rows, 3 * units]), [2 * units, units], 1);
  const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(x, [rows, units]);
  return tf.concat([tf.matMul(flat(hs), dZr, true), tf.matMul(flat(rhs), dH, true)], 1);
}

/** fusedGru as one kernel call forward and one backward (core/kernels/gru-sequence.ts), U's gradient two products. */
function asOneKernel(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [outs, gates] = gruSequence(proj, u, masks, backwards);
    save([outs, gates, u]);
    return {
      value: outs, // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [so, sg, su] = saved;
        if (!so || !sg || !su) throw new Error('fusedGru: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [dProj, before, rhs] = gruSequenceGrad({ dy: grad, outs: so, gates: sg, masks, u: su }, backwards);
        const dU = tf.tidy(() => uGrad(before, rhs, dProj, su.shape[0] ?? 0));
        tf.dispose([before, rhs]);
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** Element `t` of a list that has one per time step (a missing one is a bug). */
function at(list: readonly (tf.Tensor | undefined)[], t: number): tf.Tensor {
  const x = list[t];
  if (x === undefined) throw new Error(`fusedGru: no tensor for step ${t}`);
  return x;
}
