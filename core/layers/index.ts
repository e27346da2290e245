import * as tf from '@tensorflow/tfjs';
import { BagOfWords } from './bag-of-words';
import { LastToken } from './last-token';
import { MaskedMaxPool } from './masked-max-pool';
import { MaskedMeanPool } from './masked-mean-pool';
import { MaskedRNN } from './masked-rnn';
import { MultiHeadSelfAttention } from './multi-head-self-attention';
import { PositionalEncoding } from './positional-encoding';
import { registerTiedEmbedding } from './tied-embedding';
import { TransformerBlock } from './transformer-block';

export {
  BagOfWords,
  LastToken,
  MaskedMaxPool,
  MaskedMeanPool,
  MaskedRNN,
  MultiHeadSelfAttention,
  PositionalEncoding,
  TransformerBlock,
};

/** Every custom layer class; each must be registered before a saved model that uses it is loaded. */
export const CUSTOM_LAYERS = [
  PositionalEncoding,
  MultiHeadSelfAttention,
  TransformerBlock,
  MaskedMeanPool,
  MaskedMaxPool,
  LastToken,
  BagOfWords,
  MaskedRNN,
] as const;

let registered = false;

/** Registers every custom layer (TiedEmbedding included) with tf.js serialization; safe to call any number of times. */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const cls of CUSTOM_LAYERS) tf.serialization.registerClass(cls);
  registerTiedEmbedding();
  registered = true;
}
