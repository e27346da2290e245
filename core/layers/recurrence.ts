import * as tf from '@tensorflow/tfjs';
import { fusedGru } from './fused-gru';
import { fusedLstm } from './fused-lstm';
import { fusedRnn } from './fused-rnn';

/**
 * Masked SimpleRNN / LSTM / GRU recurrences in plain tf ops, with Keras's weight layout: kernel (D, g·H),
 * recurrent kernel (H, g·H), bias (g·H), gates in Keras order (LSTM i, f, c, o; GRU z, r, h with
 * reset_after=false). Gates use the logistic sigmoid (tf.js's own layers default to hardSigmoid).
 *
 * Why not tf.layers.lstm/gru: tf.js's GRU cell slices its recurrent kernel by columns at every step, which on the
 * cpu backend costs ~85 ms per step at H=256; here weights are sliced once per call, and each step is one
 * recurrent matmul (two for the GRU), a split of its (B, g·H) result and element-wise ops.
 */
export type RnnCell = 'rnn' | 'lstm' | 'gru';

export const GATES: Record<RnnCell, number> = { rnn: 1, lstm: 4, gru: 3 };

export interface RecurrentWeights {
  kernel: tf.Tensor; // (D, g·H)
  recurrentKernel: tf.Tensor; // (H, g·H)
  bias: tf.Tensor; // (g·H)
}

const sigmoid = tf.sigmoid;

/**
 * Runs one direction over x (B, T, D) with keep mask (B, T) (1 = real token). At padded steps the state is carried
 * unchanged. Returns every step's output (B, T, H) and the final state (B, H) — the state after the last real token.
 */
export function recurrence(
  cell: RnnCell,
  x: tf.Tensor,
  keep: tf.Tensor,
  w: RecurrentWeights,
  units: number,
  backwards: boolean,
  /** The recurrence as one op with its own gradient (fused-rnn.ts, fused-lstm.ts, fused-gru.ts); false runs the step-by-step ops (the reference). */
  fused = true,
): { sequence: tf.Tensor; last: tf.Tensor } {
  const [batch, seqLen, dim] = x.shape;
  if (batch === undefined || seqLen === undefined || dim === undefined)
    throw new Error(`recurrence: x must be (B, T, D), got [${x.shape}]`);
  const gates = GATES[cell];
  const timeMajor = tf.reshape(tf.transpose(x, [1, 0, 2]), [seqLen * batch, dim]); // (B, T, D) -> (T, B, D) -> (T·B, D)
  // Input projections of every step and gate in one matmul.
  const projections = tf.reshape(tf.add(tf.matMul(timeMajor, w.kernel), w.bias), [seqLen, batch, gates * units]); // (T·B, D) @ (D, g·H) -> (T, B, g·H)
  const timeMasks = tf.reshape(tf.transpose(keep), [seqLen, batch, 1]); // (B, T) -> (T, B, 1)
  if (fused) {
    const run = { rnn: fusedRnn, lstm: fusedLstm, gru: fusedGru }[cell];
    const states = run(projections, w.recurrentKernel, timeMasks, backwards); // (T, B, H), time order
    const lastT = backwards ? 0 : seqLen - 1; // the state after the last step taken
    const last = tf.reshape(tf.slice(states, [lastT, 0, 0], [1, batch, units]), [batch, units]);
    return { sequence: tf.transpose(states, [1, 0, 2]), last }; // (T, B, H) -> (B, T, H)
  }
  const inputs = tf.unstack(projections); // T × (B, g·H)
  const masks = tf.unstack(timeMasks); // T × (B, 1)
  // One recurrent matmul per step: per-gate matmuls cost a kernel call each, and wasm pays per call.
  // The GRU's candidate multiplies (r ⊙ h), so its last block is applied on its own.
  const joint = cell === 'gru' ? tf.slice(w.recurrentKernel, [0, 0], [units, 2 * units]) : w.recurrentKernel; // (H, g·H) or (H, 2H)
  const candidateKernel = cell === 'gru' ? tf.slice(w.recurrentKernel, [0, 2 * units], [units, units]) : undefined; // (H, H)
  const gatesAt = (t: number, h: tf.Tensor): tf.Tensor[] => {
    const xt = inputs[t] ?? tf.scalar(NaN); // (B, g·H)
    if (cell !== 'gru') {
      const sum = tf.add(xt, tf.matMul(h, joint)); // (B, g·H)
      return cell === 'rnn' ? [sum] : tf.split(sum, gates, 1); // one-way splits have no gradient in tf.js; (B, 4H) -> 4 × (B, H)
    }
    const [xz, xr, xh] = tf.split(xt, 3, 1); // (B, 3H) -> 3 × (B, H)
    const [hz, hr] = tf.split(tf.matMul(h, joint), 2, 1); // (B, H) @ (H, 2H) -> 2 × (B, H)
    return [
      tf.add(xz ?? tf.scalar(NaN), hz ?? tf.scalar(NaN)),
      tf.add(xr ?? tf.scalar(NaN), hr ?? tf.scalar(NaN)),
      xh ?? tf.scalar(NaN),
    ];
  };

  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  const outputs: tf.Tensor[] = new Array<tf.Tensor>(seqLen);
  for (let step = 0; step < seqLen; step++) {
    const t = backwards ? seqLen - 1 - step : step;
    const m = masks[t] ?? tf.scalar(NaN); // (B, 1)
    const g = gatesAt(t, h).map((a) => a ?? tf.scalar(NaN));
    let hNew: tf.Tensor;
    if (cell === 'rnn') {
      hNew = tf.tanh(g[0]);
    } else if (cell === 'lstm') {
      const [i, f, candidate, o] = [sigmoid(g[0]), sigmoid(g[1]), tf.tanh(g[2]), sigmoid(g[3])];
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, candidate));
      hNew = tf.mul(o, tf.tanh(cNew));
      c = tf.add(c, tf.mul(m, tf.sub(cNew, c))); // padding (m = 0) carries the cell state; 3 kernels, not 4
    } else {
      const z = sigmoid(g[0]);
      const r = sigmoid(g[1]);
      const candidate = tf.tanh(tf.add(g[2], tf.matMul(tf.mul(r, h), candidateKernel ?? tf.scalar(NaN)))); // (B, H) @ (H, H)
      hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    }
    h = tf.add(h, tf.mul(m, tf.sub(hNew, h))); // padding (m = 0) carries the state exactly
    outputs[t] = h;
  }
  const sequence = tf.transpose(tf.stack(outputs), [1, 0, 2]); // T × (B, H) -> (T, B, H) -> (B, T, H)
  return { sequence, last: h };
}
