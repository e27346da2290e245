export interface TopToken {
  token: string;
  id: number;
  p: number;
}

/** Next-token models: per position, what came next and what the model expected. */
export interface NextTokenPrediction {
  kind: 'next-token';
  tokens: {
    text: string;
    id: number;
    /** Probability the model gave this token from the positions before it (undefined for the first). */
    p?: number;
    /** −log p of this token, the per-position loss. */
    loss?: number;
    /** The top-k next tokens after this position. */
    top: TopToken[];
  }[];
}

export interface TagPrediction {
  kind: 'tag';
  tokens: { text: string; tag: string; p: number; top: { tag: string; p: number }[] }[];
}

export interface ClassPrediction {
  kind: 'classify';
  label: string;
  probs: Record<string, number>;
  /**
   * weight = how much the token moved the decision, in log-odds of `label` (nats): log-odds with the text minus
   * log-odds without the token. Positive: towards `label`; negative: away from it.
   */
  tokens: { text: string; weight: number }[];
}

export type Prediction = NextTokenPrediction | TagPrediction | ClassPrediction;

/** Attention probabilities of one attention node for the current text: [head][query][key]. */
export interface AttentionMap {
  nodeId: string;
  tokens: string[];
  heads: number[][][];
}
