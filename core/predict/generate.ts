import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../train/seed';
import { padRows, type Predictor } from './predict';

export interface GenerateOptions {
  tokens: number;
  temperature: number;
  /** Sample only among the k most likely tokens; 0 = all. */
  topK: number;
  seed?: number;
}

/**
 * Samples a continuation of `prompt` token by token, sliding a window of seqLen tokens.
 * Yields each new token's text so callers can stream it.
 */
export async function* generate(p: Predictor, prompt: string, o: GenerateOptions): AsyncGenerator<string> {
  if (p.task !== 'next-token') throw new Error('Generation needs a model with a NextTokenHead.');
  if (!(o.temperature >= 0)) throw new Error(`Temperature must be 0 or more, got ${o.temperature}.`);
  const rng = mulberry32(o.seed ?? Date.now());
  const ids = p.promptCompletion ? [...p.tokenizer.encode(prompt), p.tokenizer.sepId] : p.tokenizer.encode(prompt);
  for (let n = 0; n < o.tokens; n++) {
    const window = ids.slice(-p.seqLen);
    const last = Math.max(0, window.length - 1);
    const logitsT = tf.tidy(() => {
      const out = p.model.predict(padRows([window.length ? window : [0]], p.seqLen)) as tf.Tensor; // (1, T, V)
      return out.slice([0, last, 0], [1, 1, -1]).reshape([-1]) as tf.Tensor1D; // (V)
    });
    const logits = Array.from(await logitsT.data());
    logitsT.dispose();
    const next = sample(logits, o, rng);
    if (p.promptCompletion && next === p.tokenizer.eosId) return;
    ids.push(next);
    yield p.tokenizer.decode([next]);
  }
}

/** Picks a token id from logits with temperature and top-k; padding (id 0) is never picked. */
export function sample(logits: number[], o: Pick<GenerateOptions, 'temperature' | 'topK'>, rng: () => number): number {
  const cand = logits.map((l, id) => ({ id, l })).filter((c) => c.id !== 0 && Number.isFinite(c.l));
  cand.sort((a, b) => b.l - a.l);
  if (o.temperature === 0) return cand[0].id;
  const kept = o.topK > 0 ? cand.slice(0, o.topK) : cand;
  const max = kept[0].l;
  const w = kept.map((c) => Math.exp((c.l - max) / o.temperature));
  let r = rng() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kept.length; i++) {
    r -= w[i];
    if (r <= 0) return kept[i].id;
  }
  return kept[kept.length - 1].id;
}
