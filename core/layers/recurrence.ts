import * as tf from '@tensorflow/tfjs';

/**
 * Masked SimpleRNN / LSTM / GRU recurrences in plain tf ops, with Keras's weight layout: kernel (D, g·H),
 * recurrent kernel (H, g·H), bias (g·H), gates in Keras order (LSTM i, f, c, o; GRU z, r, h with
 * reset_after=false). Gates use the logistic sigmoid (tf.js's own layers default to hardSigmoid).
 *
 * Why not tf.layers.lstm/gru: tf.js's GRU cell slices its recurrent kernel by columns at every step, which on the
 * cpu backend costs ~85 ms per step at H=256; here every per-step slice is a contiguous row block of a transposed
 * weight, so steps are only matmuls and element-wise ops.
 */
export type RnnCell = 'rnn' | 'lstm' | 'gru';

export const GATES: Record<RnnCell, number> = { rnn: 1, lstm: 4, gru: 3 };

export interface RecurrentWeights {
  kernel: tf.Tensor; // (D, g·H)
  recurrentKernel: tf.Tensor; // (H, g·H)
  bias: tf.Tensor; // (g·H)
}

/** Per-gate blocks, each transposed so that it is a contiguous row slice: W (H, D), U (H, H), b (H). */
function gateBlocks(w: RecurrentWeights, gates: number, units: number) {
  const kernelT = tf.transpose(w.kernel); // (D, g·H) -> (g·H, D)
  const recurrentT = tf.transpose(w.recurrentKernel); // (H, g·H) -> (g·H, H)
  const cut = (t: tf.Tensor, g: number) => tf.slice(t, [g * units, 0], [units, -1]); // rows of gate g
  return Array.from({ length: gates }, (_, g) => ({
    wT: cut(kernelT, g), // (H, D)
    uT: cut(recurrentT, g), // (H, H)
    b: tf.slice(w.bias, [g * units], [units]), // (H)
  }));
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
): { sequence: tf.Tensor; last: tf.Tensor } {
  const [batch, seqLen, dim] = x.shape;
  if (batch === undefined || seqLen === undefined || dim === undefined)
    throw new Error(`recurrence: x must be (B, T, D), got [${x.shape}]`);
  const blocks = gateBlocks(w, GATES[cell], units);
  const timeMajor = tf.reshape(tf.transpose(x, [1, 0, 2]), [seqLen * batch, dim]); // (B, T, D) -> (T, B, D) -> (T·B, D)
  // Input projections for every step at once, one (T, B, H) per gate, split into contiguous steps.
  const inputs = blocks.map(
    ({ wT, b }) => tf.unstack(tf.reshape(tf.add(tf.matMul(timeMajor, wT, false, true), b), [seqLen, batch, units])), // (T·B, D) @ (D, H) -> (T, B, H) -> T × (B, H)
  );
  const masks = tf.unstack(tf.reshape(tf.transpose(keep), [seqLen, batch, 1])); // (B, T) -> (T, B, 1) -> T × (B, 1)
  const rec = (g: number, h: tf.Tensor) => tf.matMul(h, blocks[g]?.uT ?? tf.scalar(NaN), false, true); // (B, H) @ (H, H)
  const at = (g: number, t: number) => inputs[g]?.[t] ?? tf.scalar(NaN);

  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  const outputs: tf.Tensor[] = new Array<tf.Tensor>(seqLen);
  for (let step = 0; step < seqLen; step++) {
    const t = backwards ? seqLen - 1 - step : step;
    const m = masks[t] ?? tf.scalar(NaN); // (B, 1)
    let hNew: tf.Tensor;
    if (cell === 'rnn') {
      hNew = tf.tanh(tf.add(at(0, t), rec(0, h)));
    } else if (cell === 'lstm') {
      const i = sigmoid(tf.add(at(0, t), rec(0, h)));
      const f = sigmoid(tf.add(at(1, t), rec(1, h)));
      const candidate = tf.tanh(tf.add(at(2, t), rec(2, h)));
      const o = sigmoid(tf.add(at(3, t), rec(3, h)));
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, candidate));
      hNew = tf.mul(o, tf.tanh(cNew));
      c = tf.add(tf.mul(m, cNew), tf.mul(tf.sub(1, m), c)); // padding carries the cell state
    } else {
      const z = sigmoid(tf.add(at(0, t), rec(0, h)));
      const r = sigmoid(tf.add(at(1, t), rec(1, h)));
      const candidate = tf.tanh(tf.add(at(2, t), rec(2, tf.mul(r, h))));
      hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    }
    h = tf.add(tf.mul(m, hNew), tf.mul(tf.sub(1, m), h)); // padding carries the state
    outputs[t] = h;
  }
  const sequence = tf.transpose(tf.stack(outputs), [1, 0, 2]); // T × (B, H) -> (T, B, H) -> (B, T, H)
  return { sequence, last: h };
}
