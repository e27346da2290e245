import * as tf from '@tensorflow/tfjs';

/** A model written by hand in tf.js, the way a competent user would without Wordloom: the benchmark's baseline. */
export interface HandModel {
  forward: (tokens: tf.Tensor2D) => tf.Tensor;
  vars: tf.Variable[];
  dispose: () => void;
}

const normal = (shape: number[], std = 0.02): tf.Variable => tf.variable(tf.randomNormal(shape, 0, std, 'float32', 1));
const ones = (n: number): tf.Variable => tf.variable(tf.ones([n]));
const zeros = (n: number): tf.Variable => tf.variable(tf.zeros([n]));

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}
const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

/** Mini GPT: token + learned position embeddings, pre-norm blocks, final LayerNorm, tied output projection. */
export function handGpt(V: number, T: number, D: number, H: number, L: number): HandModel {
  const wte = normal([V, D]);
  const wpe = normal([T, D]);
  const blocks = Array.from({ length: L }, () => ({
    g1: ones(D),
    b1: zeros(D),
    wqkv: normal([D, 3 * D]),
    bqkv: zeros(3 * D),
    wo: normal([D, D]),
    bo: zeros(D),
    g2: ones(D),
    b2: zeros(D),
    w1: normal([D, 4 * D]),
    c1: zeros(4 * D),
    w2: normal([4 * D, D]),
    c2: zeros(D),
  }));
  const gf = ones(D);
  const bf = zeros(D);
  const headBias = zeros(V);
  const causal = tf.keep(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9)); // (T, T) additive
  const hd = D / H;
  const forward = (tokens: tf.Tensor2D): tf.Tensor => {
    const B = tokens.shape[0];
    let x = tf.add(tf.gather(wte, tokens), wpe); // (B, T, D)
    for (const k of blocks) {
      const h = tf.reshape(layerNorm(x, k.g1, k.b1), [B * T, D]);
      const qkv = tf.reshape(tf.add(tf.matMul(h, k.wqkv), k.bqkv), [B, T, 3, H, hd]);
      const [q, kk, v] = [0, 1, 2].map((i) =>
        tf.transpose(tf.squeeze(tf.slice(qkv, [0, 0, i, 0, 0], [B, T, 1, H, hd]), [2]), [0, 2, 1, 3]),
      ); // (B, H, T, hd)
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, kk, false, true), 1 / Math.sqrt(hd)), causal)); // (B, H, T, T)
      const y = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [B * T, D]); // (B*T, D)
      x = tf.add(x, tf.reshape(tf.add(tf.matMul(y, k.wo), k.bo), [B, T, D]));
      const f = tf.reshape(layerNorm(x, k.g2, k.b2), [B * T, D]);
      const ff = tf.add(tf.matMul(gelu(tf.add(tf.matMul(f, k.w1), k.c1)), k.w2), k.c2);
      x = tf.add(x, tf.reshape(ff, [B, T, D]));
    }
    const out = tf.reshape(layerNorm(x, gf, bf), [B * T, D]);
    return tf.reshape(tf.add(tf.matMul(out, wte, false, true), headBias), [B, T, V]); // (B, T, V)
  };
  const vars = [wte, wpe, ...blocks.flatMap((k) => Object.values(k)), gf, bf, headBias];
  return { forward, vars, dispose: () => (tf.dispose(vars), causal.dispose()) };
}

/** Embedding → LSTM (returnSequences) → Dense to V, from stock tf.js layers. */
export function handLstm(V: number, T: number, E: number, units: number): HandModel {
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: V, outputDim: E, inputLength: T }),
      tf.layers.lstm({ units, returnSequences: true }),
      tf.layers.dense({ units: V }),
    ],
  });
  return {
    forward: (tokens) => model.apply(tokens, { training: true }) as tf.Tensor,
    vars: model.trainableWeights.map((w) => w.read() as tf.Variable),
    dispose: () => model.dispose(),
  };
}

/** Bag of words (token counts, padding ignored) → Dense relu → Dense to C. */
export function handBow(V: number, hidden: number, C: number): HandModel {
  const w1 = normal([V, hidden], 0.05);
  const b1 = zeros(hidden);
  const w2 = normal([hidden, C], 0.05);
  const b2 = zeros(C);
  const forward = (tokens: tf.Tensor2D): tf.Tensor => {
    const counts = tf.denseBincount(tokens, [], V) as tf.Tensor2D; // (B, T) -> (B, V)
    const noPad = tf.mul(counts, tf.concat([tf.zeros([1]), tf.ones([V - 1])])); // id 0 is padding
    return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(noPad, w1), b1)), w2), b2); // (B, C)
  };
  const vars = [w1, b1, w2, b2];
  return { forward, vars, dispose: () => tf.dispose(vars) };
}
