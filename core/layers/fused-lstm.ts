import * as tf from '@tensorflow/tfjs';
import { hasLstmCellKernels, lstmCell, lstmCellGrad } from '../kernels/lstm-cell';
import { canRunLstmSequence, lstmSequence, lstmSequenceGrad } from '../kernels/lstm-sequence';

/**
 * The masked LSTM recurrence over a whole sequence as one recorded op, with backpropagation through time written
 * out. Autodiff of the step-by-step ops (recurrence.ts, kept as the reference) records ~20 ops per step, keeps a
 * copy of each one's inputs and differentiates each on its own: ~6,700 kernel calls per LSTM LM training step at
 * T = 64. Here the forward runs unrecorded and keeps seven stacked tensors; the backward walks the steps in
 * reverse with the closed-form cell gradient, and the recurrent kernel's gradient is one matmul over all steps.
 *
 * Gates in Keras order (i, f, c, o), logistic sigmoid, state carried unchanged where the keep mask is 0:
 *   a = x_t + h·U,  i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_c),  c' = f⊙c + i⊙g,  h' = o⊙tanh(c'),
 *   c ← c + m⊙(c' − c),  h ← h + m⊙(h' − h).
 */

/**
 * `projections` (T, B, 4H): x_t·W + b of every step, in time order; `recurrentKernel` (H, 4H); `masks`
 * (T, B, 1) of 0/1 (constant: no gradient). Steps run from t = 0 up, or from T − 1 down when `backwards`.
 * Returns the state after each time position (T, B, H), in time order.
 */
export function fusedLstm(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const [seqLen, batch, width] = projections.shape;
  const units = recurrentKernel.shape[0];
  if (seqLen === undefined || batch === undefined || width === undefined || units === undefined || width !== 4 * units)
    throw new Error(`fusedLstm: projections [${projections.shape}] need (T, B, 4H) for H = ${units}`);
  const order = Array.from({ length: seqLen }, (_, s) => (backwards ? seqLen - 1 - s : s));
  if (canRunLstmSequence(units)) return asOneKernel(projections, recurrentKernel, masks, backwards);
  if (hasLstmCellKernels()) return withCellKernels(projections, recurrentKernel, masks, order, [batch, units]);

  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const xs = tf.unstack(proj); // T × (B, 4H)
    const ms = tf.unstack(masks); // T × (B, 1)
    // Per time position: the state before the step, the four gates and tanh of the new cell state.
    const kept: Record<'h' | 'c' | 'i' | 'f' | 'g' | 'o' | 'tc', tf.Tensor[]> = {
      h: [],
      c: [],
      i: [],
      f: [],
      g: [],
      o: [],
      tc: [],
    };
    const outs = new Array<tf.Tensor>(seqLen);
    let h: tf.Tensor = tf.zeros([batch, units]);
    let c: tf.Tensor = tf.zeros([batch, units]);
    for (const t of order) {
      const m = at(ms, t);
      const [gi, gf, gg, go, tc, cNext, hNext] = tf.tidy(() => {
        const a = tf.split(tf.add(at(xs, t), tf.matMul(h, u)), 4, 1); // (B, 4H) -> 4 × (B, H)
        const [i, fg, g, o] = [tf.sigmoid(at(a, 0)), tf.sigmoid(at(a, 1)), tf.tanh(at(a, 2)), tf.sigmoid(at(a, 3))];
        const cNew = tf.add(tf.mul(fg, c), tf.mul(i, g));
        const tanhC = tf.tanh(cNew);
        const hNew = tf.mul(o, tanhC);
        // Padding (m = 0) carries the state unchanged.
        return [i, fg, g, o, tanhC, tf.add(c, tf.mul(m, tf.sub(cNew, c))), tf.add(h, tf.mul(m, tf.sub(hNew, h)))];
      });
      Object.entries({ h, c, i: gi, f: gf, g: gg, o: go, tc }).forEach(
        ([k, v]) => (kept[k as keyof typeof kept][t] = v),
      );
      [c, h] = [at([cNext], 0), at([hNext], 0)];
      outs[t] = h;
    }
    // Time order, stacked: (T, B, H) each.
    save([kept.h, kept.c, kept.i, kept.f, kept.g, kept.o, kept.tc].map((list) => tf.stack(list)).concat(masks, u));
    return {
      value: tf.stack(outs), // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        if (saved.length !== 9) throw new Error('fusedLstm: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [C, I, F, G, O, TC, M, DY] = [...saved.slice(1, 8), grad].map((s) => tf.unstack(s ?? tf.scalar(NaN)));
        const hs = at(saved, 0); // (T, B, H): the state before each step
        const uT = tf.transpose(at(saved, 8)); // (4H, H)
        const dA = new Array<tf.Tensor>(seqLen);
        let dh: tf.Tensor = tf.zeros([batch, units]); // from the step after, in processing order
        let dc: tf.Tensor = tf.zeros([batch, units]);
        for (const t of [...order].reverse()) {
          const m = at(M, t);
          const [gi, gf, gg, go, tc] = [at(I, t), at(F, t), at(G, t), at(O, t), at(TC, t)];
          const [da, dcPrev, dhPrev] = tf.tidy(() => {
            const dhAll = tf.add(at(DY, t), dh); // (B, H)
            const dhNew = tf.mul(m, dhAll); // through h' (real tokens only)
            const dcIn = tf.mul(m, dc);
            const dcNew = tf.add(dcIn, tf.mul(tf.mul(dhNew, go), tf.sub(1, tf.square(tc)))); // + dh'·o·(1 − tanh²c')
            const dai = tf.mul(tf.mul(dcNew, gg), tf.mul(gi, tf.sub(1, gi))); // σ' = σ(1 − σ)
            const daf = tf.mul(tf.mul(dcNew, at(C, t)), tf.mul(gf, tf.sub(1, gf)));
            const dag = tf.mul(tf.mul(dcNew, gi), tf.sub(1, tf.square(gg))); // tanh' = 1 − tanh²
            const dao = tf.mul(tf.mul(dhNew, tc), tf.mul(go, tf.sub(1, go)));
            const dAt = tf.concat([dai, daf, dag, dao], 1); // (B, 4H)
            return [
              dAt,
              tf.add(tf.sub(dc, dcIn), tf.mul(dcNew, gf)), // carried (1 − m)·dc, plus through f⊙c
              tf.add(tf.sub(dhAll, dhNew), tf.matMul(dAt, uT)), // carried (1 − m)·dh, plus through h·U
            ];
          });
          dA[t] = at([da], 0);
          tf.dispose([dh, dc]);
          [dc, dh] = [at([dcPrev], 0), at([dhPrev], 0)];
        }
        const dProj = tf.stack(dA); // (T, B, 4H)
        const rows = seqLen * batch;
        const dU = tf.matMul(tf.reshape(hs, [rows, units]), tf.reshape(dProj, [rows, width]), true, false); // (H, 4H)
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** fusedLstm as one kernel call forward and one backward (core/kernels/lstm-sequence.ts), U's gradient a product. */
function asOneKernel(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  backwards: boolean,
): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [outs, cs, gates, tcs] = lstmSequence(proj, u, masks, backwards);
    save([outs, cs, gates, tcs, u]);
    return {
      value: outs, // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [so, sc, sg, st, su] = saved;
        if (!so || !sc || !sg || !st || !su) throw new Error('fusedLstm: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [dProj, before] = lstmSequenceGrad(
          { dy: grad, outs: so, cs: sc, gates: sg, tcs: st, masks, u: su },
          backwards,
        );
        const [seqLen, batch, units] = before.shape;
        const dU = tf.tidy(() =>
          tf.matMul(tf.reshape(before, [seqLen * batch, units]), tf.reshape(dProj, [seqLen * batch, 4 * units]), true),
        ); // (H, 4H)
        before.dispose();
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** fusedLstm with each step's element-wise work in one kernel call forward and one backward. */
function withCellKernels(
  projections: tf.Tensor,
  recurrentKernel: tf.Tensor,
  masks: tf.Tensor,
  order: number[],
  state: [number, number],
): tf.Tensor {
  const seqLen = order.length;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [proj, u] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const xs = tf.unstack(proj); // T × (B, 4H)
    const ms = tf.unstack(masks); // T × (B, 1)
    // Per time position: the state before the step, the activated gates (B, 4H) and tanh of the new cell state.
    const kept: Record<'h' | 'c' | 'gates' | 'tc', tf.Tensor[]> = { h: [], c: [], gates: [], tc: [] };
    const outs = new Array<tf.Tensor>(seqLen);
    let h: tf.Tensor = tf.zeros(state);
    let c: tf.Tensor = tf.zeros(state);
    for (const t of order) {
      const hu = tf.matMul(h, u);
      const [gates, tc, cNext, hNext] = lstmCell(at(xs, t), hu, c, h, at(ms, t));
      hu.dispose();
      Object.entries({ h, c, gates, tc }).forEach(([k, v]) => (kept[k as keyof typeof kept][t] = v));
      [c, h] = [cNext, hNext];
      outs[t] = h;
    }
    save([kept.h, kept.c, kept.gates, kept.tc].map((list) => tf.stack(list)).concat(masks, u));
    return {
      value: tf.stack(outs), // (T, B, H)
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        if (saved.length !== 6) throw new Error('fusedLstm: saved tensors are missing');
        const grad = Array.isArray(dy) ? dy[0] : dy;
        const [C, GATES, TC, M, DY] = [...saved.slice(1, 5), grad].map((s) => tf.unstack(s ?? tf.scalar(NaN)));
        const hs = at(saved, 0); // (T, B, H): the state before each step
        const uT = tf.transpose(at(saved, 5)); // (4H, H)
        const dA = new Array<tf.Tensor>(seqLen);
        // From the step after, in processing order: dh = dhCarry + dhMat, and dc.
        let [dhCarry, dhMat, dc]: tf.Tensor[] = [tf.zeros(state), tf.zeros(state), tf.zeros(state)];
        for (const t of [...order].reverse()) {
          const [da, dcPrev, dhCarryPrev] = lstmCellGrad({
            dy: at(DY, t),
            dhCarry,
            dhMat,
            dc,
            m: at(M, t),
            gates: at(GATES, t),
            tc: at(TC, t),
            c: at(C, t),
          });
          tf.dispose([dhCarry, dhMat, dc]);
          dA[t] = da;
          [dhCarry, dhMat, dc] = [dhCarryPrev, tf.matMul(da, uT), dcPrev];
        }
        tf.dispose([dhCarry, dhMat, dc, uT, ...C, ...GATES, ...TC, ...M, ...DY]);
        const dProj = tf.stack(dA); // (T, B, 4H)
        tf.dispose(dA);
        const [rows, width] = [seqLen * state[0], 4 * state[1]];
        const dU = tf.tidy(() =>
          tf.matMul(tf.reshape(hs, [rows, state[1]]), tf.reshape(dProj, [rows, width]), true, false),
        ); // (H, 4H)
        return [dProj, dU];
      },
    };
  });
  return f(projections, recurrentKernel);
}

/** Element `t` of a list that has one per time step (a missing one is a bug). */
function at(list: readonly (tf.Tensor | undefined)[], t: number): tf.Tensor {
  const x = list[t];
  if (x === undefined) throw new Error(`fusedLstm: no tensor for step ${t}`);
  return x;
}
