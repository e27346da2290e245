import * as tf from '@tensorflow/tfjs';
import { canRunRnnSequence, rnnSequence, rnnSequenceGrad } from '../kernels/rnn-sequence';

/**
 * The masked simple-RNN recurrence over a whole sequence as one recorded op, with backpropagation through time
 * written out, as fused-lstm.ts does for the LSTM (autodiff of the step-by-step ops records ~12 kernels per step
 * and differentiates each). On wasm both directions are one kernel call each (core/kernels/rnn-sequence.ts).
 *   a = tanh(x_t + h·U),  h ← h + m⊙(a − h);
 * backward, with dh the gradient reaching h after the step and dh' = m⊙dh:
 *   dA = dh'⊙(1 − a²),  dh_before = (1 − m)⊙dh + dA·Uᵀ,  dU = Σ_t h_tᵀ·dA_t   (h_t: the state before step t).
 */

/**
 * `projections` (T, B, H): x_t·W + b of every step, in time order; `recurrentKernel` (H, H); `masks` (T, B, 1)
 * of 0/1 (constant: no gradient). Steps run from t = 0 up, or from T − 1 down when `backwards`. Returns the
 * state after each time position (T, B, H), in time order.
 */
export function fusedRnn(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const [seqLen, batch, width] = projections.shape;
  const units = recurrentKernel.shape[0];
  if (seqLen === undefined || batch === undefined || width === undefined || units === undefined || width !== units)
    throw new Error(`fusedRnn: projections [${projections.shape}] need (T, B, H) for H = ${units}`);
  if (canRunRnnSequence(units)) return asOneKernel(projections, recurrentKernel, masks, backwards);
  const order = Array.from({ length: seqLen }, (_, s) => (backwards ? seqLen - 1 - s : s));

  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const xs = tf.unstack(proj); // T × (B, H)
    const ms = tf.unstack(masks); // T × (B, 1)
    const [hs, acts, outs] = [0, 1, 2].map(() => new Array<tf.Tensor>(seqLen)); // state before, a, state after
    let h: tf.Tensor = tf.zeros([batch, units]);
    for (const t of order) {
      hs[t] = h;
      const [a, hNext] = tf.tidy(() => {
        const at0 = tf.tanh(tf.add(at(xs, t), tf.matMul(h, u)));
        return [at0, tf.add(h, tf.mul(at(ms, t), tf.sub(at0, h)))]; // padding (m = 0) carries the state
      });
      acts[t] = a;
      h = hNext;
      outs[t] = h;
    }
    tf.dispose([...xs, ...ms]);
    // customGrad runs the forward in a tidy: the per-step tensors are freed there.
    save([tf.stack(hs), tf.stack(acts), masks, u]);
    return {
      value: tf.stack(outs), // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        if (saved.length !== 4) throw new Error('fusedRnn: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [A, M, DY] = [saved[1], saved[2], grad].map((s) => tf.unstack(s ?? tf.scalar(NaN)));
        const uT = tf.transpose(at(saved, 3));
        const dA = new Array<tf.Tensor>(seqLen);
        let dh: tf.Tensor = tf.zeros([batch, units]); // from the step after, in processing order
        for (const [s, t] of [...order.entries()].reverse()) {
          const [da, dhPrev] = tf.tidy(() => {
            const dhAll = tf.add(at(DY, t), dh);
            const dhNew = tf.mul(at(M, t), dhAll); // through a (real tokens only)
            const dat = tf.mul(dhNew, tf.sub(1, tf.square(at(A, t))));
            const carried = tf.sub(dhAll, dhNew);
            return [dat, s > 0 ? tf.add(carried, tf.matMul(dat, uT)) : carried];
          });
          dA[t] = da;
          dh.dispose();
          dh = dhPrev;
        }
        const dProj = tf.stack(dA); // (T, B, H)
        const dU = tf.tidy(() => uGrad(at(saved, 0), dProj));
        tf.dispose([dh, uT, ...dA, ...A, ...M, ...DY]);
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** dU (H, H) = Σ_t h_tᵀ·dA_t over all steps at once, from the states before each step (T, B, H). */
function uGrad(before: tf.Tensor, dProj: tf.Tensor): tf.Tensor {
  const [seqLen, batch, units] = dProj.shape;
  const rows = (seqLen ?? 0) * (batch ?? 0);
  return tf.matMul(tf.reshape(before, [rows, units ?? 0]), tf.reshape(dProj, [rows, units ?? 0]), true);
}

/** fusedRnn as one kernel call forward and one backward (core/kernels/rnn-sequence.ts), U's gradient a product. */
function asOneKernel(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [outs, acts] = rnnSequence(proj, u, masks, backwards);
    save([outs, acts, u]);
    return {
      value: outs, // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [so, sa, su] = saved;
        if (!so || !sa || !su) throw new Error('fusedRnn: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [dProj, before] = rnnSequenceGrad({ dy: grad, outs: so, acts: sa, masks, u: su }, backwards);
        const dU = tf.tidy(() => uGrad(before, dProj));
        before.dispose();
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** Element `t` of a list that has one per time step (a missing one is a bug). */
function at(list: readonly (tf.Tensor | undefined)[], t: number): tf.Tensor {
  const x = list[t];
  if (x === undefined) throw new Error(`fusedRnn: no tensor for step ${t}`);
  return x;
}
