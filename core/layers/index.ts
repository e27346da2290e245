/** The custom tf.js layers; each node definition lists the ones it builds (core/nodes/index.ts registers them). */
import { BagOfWords } from './bag-of-words';
import { LastToken } from './last-token';
import { MaskedMaxPool } from './masked-max-pool';
import { MaskedMeanPool } from './masked-mean-pool';
import { MaskedRNN } from './masked-rnn';
import { MultiHeadSelfAttention } from './multi-head-self-attention';
import { PositionalEncoding } from './positional-encoding';
import { TiedEmbedding } from './tied-embedding';
import { TransformerBlock } from './transformer-block';

export {
  BagOfWords,
  LastToken,
  MaskedMaxPool,
  MaskedMeanPool,
  MaskedRNN,
  MultiHeadSelfAttention,
  PositionalEncoding,
  TiedEmbedding,
  TransformerBlock,
};
