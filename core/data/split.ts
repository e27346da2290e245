/** One side (train or validation) of a prepared dataset, as token ids ready for batching. */
export type DataSplit =
  /** Next-token: one long stream of ids; windows are cut from it at any offset. */
  | { kind: 'stream'; ids: Int32Array }
  /**
   * Prompt-completion: each row is `prompt <|sep|> completion <|endoftext|>`; `lossMask[i]` is 1
   * where token i belongs to the completion (its <|endoftext|> included), i.e. where predicting it counts.
   */
  | { kind: 'sequences'; rows: Int32Array[]; lossMask: Uint8Array[] }
  /** Classification: token ids of each text and its class id. */
  | { kind: 'classify'; rows: Int32Array[]; labels: Int32Array }
  /** Tagging: token ids of each sentence and a tag id per token, -1 where a token carries no tag. */
  | { kind: 'tag'; rows: Int32Array[]; tags: Int32Array[] };

/** Examples in a split: rows, or tokens for a stream. */
export function splitSize(split: DataSplit): number {
  return split.kind === 'stream' ? split.ids.length : split.rows.length;
}

/** Tokens in a split. */
export function splitTokens(split: DataSplit): number {
  return split.kind === 'stream' ? split.ids.length : split.rows.reduce((n, r) => n + r.length, 0);
}
