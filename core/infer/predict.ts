import * as tf from '@tensorflow/tfjs';
import type { Task } from '../nodes/define';
import type { AttentionMap, ClassPrediction, NextTokenPrediction, Prediction, TagPrediction, TextCodec, TopToken } from './types';

export interface Predictor {
  model: tf.LayersModel;
  task: Task;
  codec: TextCodec;
  /** Class or tag names, by id (empty for next-token models). */
  labels: string[];
  seqLen: number;
}

/** Splits text into words and punctuation, the way tagging data is tokenised. */
export const splitWords = (text: string): string[] => text.match(/[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}]/gu) ?? [];

/** Token ids of `text` for this model's task: the last seqLen tokens (taggers: one id per word). */
export function encodeInput(p: Predictor, text: string): { ids: number[]; pieces: string[] } {
  if (p.task === 'tag') {
    const words = splitWords(text).slice(0, p.seqLen);
    return { ids: words.map((w) => p.codec.encode(w)[0] ?? 0), pieces: words };
  }
  const all = p.codec.encode(text);
  const ids = p.task === 'classify' ? all.slice(0, p.seqLen) : all.slice(-p.seqLen);
  return { ids, pieces: p.codec.pieces(ids) };
}

/** (rows, T) int32 input, right-padded with 0. */
export function padRows(rows: number[][], seqLen: number): tf.Tensor2D {
  const data = new Int32Array(rows.length * seqLen);
  rows.forEach((r, i) => data.set(r.slice(0, seqLen), i * seqLen));
  return tf.tensor2d(data, [rows.length, seqLen], 'int32');
}

/** Per-token predictions of `text`: top-k next tokens, tags, or class probabilities with token weights. */
export async function predict(p: Predictor, text: string, topK = 5): Promise<Prediction> {
  const { ids, pieces } = encodeInput(p, text);
  if (ids.length === 0) throw new Error('Type some text to see predictions.');
  if (p.task === 'classify') return classify(p, ids, pieces);
  const probs = tf.tidy(() => {
    const logits = p.model.predict(padRows([ids], p.seqLen)) as tf.Tensor; // (1, T, K)
    return tf.softmax(maskPad(logits, p.task)).squeeze([0]) as tf.Tensor2D; // (T, K)
  });
  const rows = (await probs.array()).slice(0, ids.length);
  probs.dispose();
  return p.task === 'tag' ? tagTokens(p, pieces, rows) : nextTokens(p, ids, pieces, rows, topK);
}

/** Padding (id 0) is never a real next token: hide it from next-token predictions. */
function maskPad(logits: tf.Tensor, task: Task): tf.Tensor {
  if (task !== 'next-token') return logits;
  const k = logits.shape[logits.shape.length - 1];
  const mask = tf.concat([tf.fill([1], -1e9), tf.zeros([k - 1])]);
  return tf.add(logits, mask);
}

function topOf(row: number[], k: number): { id: number; p: number }[] {
  return row
    .map((p, id) => ({ id, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}

function nextTokens(p: Predictor, ids: number[], pieces: string[], rows: number[][], k: number): NextTokenPrediction {
  return {
    kind: 'next-token',
    tokens: ids.map((id, i) => {
      const prev = i > 0 ? rows[i - 1][id] : undefined;
      const top: TopToken[] = topOf(rows[i], k).map((t) => ({ id: t.id, p: t.p, token: p.codec.pieces([t.id])[0] }));
      return { text: pieces[i], id, top, ...(prev !== undefined ? { p: prev, loss: -Math.log(Math.max(prev, 1e-12)) } : {}) };
    }),
  };
}

function tagTokens(p: Predictor, pieces: string[], rows: number[][]): TagPrediction {
  return {
    kind: 'tag',
    tokens: pieces.map((text, i) => {
      const top = topOf(rows[i], 3).map((t) => ({ tag: p.labels[t.id] ?? String(t.id), p: t.p }));
      return { text, tag: top[0].tag, p: top[0].p, top };
    }),
  };
}

/** Occlusion: each token's weight is how much removing it lowers the predicted class's probability. */
async function classify(p: Predictor, ids: number[], pieces: string[]): Promise<ClassPrediction> {
  const variants = [ids, ...ids.map((_, i) => ids.filter((__, j) => j !== i))];
  const probs = tf.tidy(() => tf.softmax(p.model.predict(padRows(variants, p.seqLen)) as tf.Tensor) as tf.Tensor2D);
  const rows = await probs.array();
  probs.dispose();
  const full = rows[0];
  const best = full.indexOf(Math.max(...full));
  const names = full.map((_, i) => p.labels[i] ?? String(i));
  return {
    kind: 'classify',
    label: names[best],
    probs: Object.fromEntries(names.map((n, i) => [n, full[i]])),
    tokens: pieces.map((text, i) => ({ text, weight: full[best] - rows[i + 1][best] })),
  };
}

/** Attention maps of every attention node for `text`, from an inspection model ([logits, ...probs]). */
export async function attentionMaps(p: Predictor, inspection: tf.LayersModel, nodeIds: string[], text: string): Promise<AttentionMap[]> {
  const { ids, pieces } = encodeInput(p, text);
  if (nodeIds.length === 0 || ids.length === 0) return [];
  const outs = tf.tidy(() => {
    const res = inspection.predict(padRows([ids], p.seqLen)) as tf.Tensor[];
    const n = ids.length;
    return res.slice(1).map((a) => a.slice([0, 0, 0, 0], [1, -1, n, n]).squeeze([0]) as tf.Tensor3D); // (heads, n, n)
  });
  const maps: AttentionMap[] = [];
  for (let i = 0; i < outs.length; i++) maps.push({ nodeId: nodeIds[i], tokens: pieces, heads: await outs[i].array() });
  tf.dispose(outs);
  return maps;
}
