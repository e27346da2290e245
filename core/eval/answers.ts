import * as tf from '@tensorflow/tfjs';
import type { PreparedDataset } from '../data/prepare';
import { padRows, type Predictor } from '../predict/predict';
import { corpusChrf } from './chrf';

/** A held-out prompt with its reference answer, as token ids (prompt without <|sep|>, answer without <|endoftext|>). */
export interface HeldOutPair {
  prompt: number[];
  reference: number[];
}

/** The first `n` validation rows of prompt/completion data, split at <|sep|>. */
export function heldOutPairs(data: Pick<PreparedDataset, 'val' | 'tokenizer'>, n: number): HeldOutPair[] {
  if (data.val.kind !== 'sequences') return [];
  const { sepId, eosId } = data.tokenizer;
  const out: HeldOutPair[] = [];
  for (const row of data.val.rows.slice(0, n)) {
    const ids = Array.from(row);
    const sep = ids.indexOf(sepId);
    if (sep < 0) continue;
    const rest = ids.slice(sep + 1);
    out.push({ prompt: ids.slice(0, sep), reference: rest[rest.length - 1] === eosId ? rest.slice(0, -1) : rest });
  }
  return out;
}

/**
 * Greedy answers to many prompts at once, each framed as training framed it (`prompt <|sep|>`), until
 * <|endoftext|> or `maxTokens`. One forward pass per generated token for the whole batch; each row reads
 * the logits at its own last position (rows are right-padded, and next-token models only look back).
 */
export async function greedyAnswers(
  p: Predictor,
  prompts: readonly number[][],
  maxTokens: number,
): Promise<number[][]> {
  const { sepId, eosId } = p.tokenizer;
  const seqs = prompts.map((ids) => [...ids, sepId]);
  const answers = prompts.map((): number[] => []);
  let active = prompts.map((_, i) => i);
  for (let n = 0; n < maxTokens && active.length; n++) {
    const windows = active.map((i) => seqs[i].slice(-p.seqLen));
    const nextT = tf.tidy(() => {
      const logits = p.model.predict(padRows(windows, p.seqLen)) as tf.Tensor3D; // (A, T, V)
      const at = tf.oneHot(
        tf.tensor1d(
          windows.map((w) => w.length - 1),
          'int32',
        ),
        p.seqLen,
      ); // (A, T)
      const last = tf.sum(tf.mul(logits, tf.expandDims(at, 2)), 1); // (A, T, V) → (A, V)
      const v = p.tokenizer.vocabSize;
      const noPad = tf.concat([tf.fill([1], -1e9), tf.zeros([v - 1])]); // padding is never a next token
      return tf.argMax(tf.add(last, noPad), 1); // (A)
    });
    const next = await nextT.data();
    nextT.dispose();
    const still: number[] = [];
    active.forEach((i, k) => {
      const id = next[k];
      if (id === eosId) return;
      seqs[i].push(id);
      answers[i].push(id);
      still.push(i);
    });
    active = still;
  }
  return answers;
}

/** chrF (0..100) of greedy answers to held-out prompts against their references. */
export async function chrfOnPairs(p: Predictor, pairs: readonly HeldOutPair[], maxTokens: number): Promise<number> {
  if (!pairs.length) return NaN;
  const answers = await greedyAnswers(
    p,
    pairs.map((x) => x.prompt),
    maxTokens,
  );
  return corpusChrf(
    answers.map((a) => p.tokenizer.decode(a)),
    pairs.map((x) => p.tokenizer.decode(x.reference)),
  );
}
