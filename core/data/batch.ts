/**
 * One training or evaluation batch, as plain typed arrays so it crosses a worker boundary
 * and can be built without tf. Token id 0 is padding in every tokenizer.
 */
export interface Batch {
  batchSize: number;
  seqLen: number;
  /** (B, T) token ids, row-major. */
  tokens: Int32Array;
  /** next-token and tag: (B, T) target ids; classify: (B) class ids. */
  targets: Int32Array;
  /** Loss weight per target (same length as `targets`): 0 on padding and on prompt tokens. */
  weights: Float32Array;
}
