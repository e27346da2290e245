import * as tf from '@tensorflow/tfjs';
import { encodeForInference, type InferenceContext, type InferenceInput } from '../data/inference';
import type { AttentionInfo } from '../compile/compile';
import type { AttentionMap, ClassPrediction, NextTokenPrediction, Prediction, TagPrediction, TopToken } from './types';

/** A trained model with what it needs to read text: its tokenizer, task, labels and T. */
export interface Predictor extends InferenceContext {
  model: tf.LayersModel;
  /** Class or tag names, by id (empty for next-token models). */
  labels: string[];
  seqLen: number;
}

function encode(p: Predictor, text: string): InferenceInput {
  const input = encodeForInference(p, text, p.seqLen);
  if (input.length === 0) throw new Error('Type some text to see predictions.');
  return input;
}

/** (rows, T) int32 input from ids, right-padded with 0. */
export function padRows(rows: ArrayLike<number>[], seqLen: number): tf.Tensor2D {
  const data = new Int32Array(rows.length * seqLen);
  rows.forEach((r, i) => data.set(Array.from(r).slice(0, seqLen), i * seqLen));
  return tf.tensor2d(data, [rows.length, seqLen], 'int32');
}

/** Per-token predictions of `text`: top-k next tokens, tags, or class probabilities with token weights. */
export async function predict(p: Predictor, text: string, topK = 5): Promise<Prediction> {
  const input = encode(p, text);
  const ids = Array.from(input.tokens.subarray(0, input.length));
  if (p.task === 'classify') return classify(p, ids, input.pieces);
  const probs = tf.tidy(() => {
    const logits = p.model.predict(padRows([input.tokens], p.seqLen)) as tf.Tensor; // (1, T, K)
    return tf.softmax(p.task === 'next-token' ? hidePad(logits) : logits).squeeze([0]) as tf.Tensor2D; // (T, K)
  });
  const rows = (await probs.array()).slice(0, input.length);
  probs.dispose();
  return p.task === 'tag' ? tagTokens(p, input, rows) : nextTokens(p, ids, input.pieces, rows, topK);
}

/** Padding (id 0) is never a real next token: hide it from next-token predictions. */
function hidePad(logits: tf.Tensor): tf.Tensor {
  const k = logits.shape[logits.shape.length - 1];
  return tf.add(logits, tf.concat([tf.fill([1], -1e9), tf.zeros([k - 1])]));
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
      const top: TopToken[] = topOf(rows[i], k).map((t) => ({
        id: t.id,
        p: t.p,
        token: p.tokenizer.pieces([t.id])[0],
      }));
      return {
        text: pieces[i],
        id,
        top,
        ...(prev !== undefined ? { p: prev, loss: -Math.log(Math.max(prev, 1e-12)) } : {}),
      };
    }),
  };
}

/** One entry per word: the tag predicted at the word's first sub-token. */
function tagTokens(p: Predictor, input: InferenceInput, rows: number[][]): TagPrediction {
  const words = input.words ?? input.pieces;
  const first = new Map<number, number>();
  (input.wordIndex ?? rows.map((_, i) => i)).forEach((w, pos) => w >= 0 && !first.has(w) && first.set(w, pos));
  return {
    kind: 'tag',
    tokens: words.flatMap((text, w) => {
      const pos = first.get(w);
      if (pos === undefined) return [];
      const top = topOf(rows[pos], 3).map((t) => ({ tag: p.labels[t.id] ?? String(t.id), p: t.p }));
      return [{ text, tag: top[0].tag, p: top[0].p, top }];
    }),
  };
}

/**
 * Log-odds of every class from logits, stably: log p_c − log(1 − p_c) = z_c − logsumexp(z without c). Probabilities
 * saturate (0.99999 vs 0.99998), log-odds do not, so a confident model's attributions stay readable.
 */
export function logOdds(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const mask = tf.mul(tf.eye(k), -1e30); // (K, K): row c hides class c
    const others = tf.add(tf.expandDims(logits, 1), tf.expandDims(mask, 0)); // (N, K, K)
    return tf.sub(logits, tf.logSumExp(others, 2)) as tf.Tensor2D;
  });
}

/**
 * Occlusion in log-odds: a token's weight is how much the log-odds of the predicted class fall when the token is
 * removed (log-odds with the text minus log-odds without it). Signed: positive pushed towards the predicted
 * class, negative away from it; additive contributions (a bag of words) come out exactly.
 */
async function classify(p: Predictor, ids: number[], pieces: string[]): Promise<ClassPrediction> {
  const variants = [ids, ...ids.map((_, i) => ids.filter((__, j) => j !== i))];
  const [probs, odds] = tf.tidy(() => {
    const logits = p.model.predict(padRows(variants, p.seqLen)) as tf.Tensor2D;
    return [tf.softmax(logits) as tf.Tensor2D, logOdds(logits)];
  });
  const [rows, lo] = await Promise.all([probs.array(), odds.array()]);
  probs.dispose();
  odds.dispose();
  const full = rows[0];
  const best = full.indexOf(Math.max(...full));
  const names = full.map((_, i) => p.labels[i] ?? String(i));
  return {
    kind: 'classify',
    label: names[best],
    probs: Object.fromEntries(names.map((n, i) => [n, full[i]])),
    tokens: pieces.map((text, i) => ({ text, weight: lo[0][best] - lo[i + 1][best] })),
  };
}

/** Attention maps of every attention node for `text`, from an inspection model ([logits, ...probs]). */
export async function attentionMaps(
  p: Predictor,
  inspection: tf.LayersModel,
  attention: readonly AttentionInfo[],
  text: string,
): Promise<AttentionMap[]> {
  const input = encode(p, text);
  if (attention.length === 0) return [];
  const n = input.length;
  const outs = tf.tidy(() => {
    const res = inspection.predict(padRows([input.tokens], p.seqLen)) as tf.Tensor[];
    return res.slice(1).map((a) => a.slice([0, 0, 0, 0], [1, -1, n, n]).squeeze([0]) as tf.Tensor3D); // (heads, n, n)
  });
  const maps: AttentionMap[] = [];
  for (let i = 0; i < outs.length; i++)
    maps.push({ nodeId: attention[i].nodeId, tokens: input.pieces, heads: await outs[i].array() });
  tf.dispose(outs);
  return maps;
}
