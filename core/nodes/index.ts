import { addNode } from './add';
import { bagOfWordsNode } from './bag-of-words';
import { classifierHeadNode } from './classifier-head';
import { concatNode } from './concat';
import type { AnyNodeDef } from './define';
import { denseNode } from './dense';
import { dropoutNode } from './dropout';
import { embeddingNode } from './embedding';
import { feedForwardNode } from './feed-forward';
import { gruNode } from './gru';
import { lastTokenNode } from './last-token';
import { layerNormNode } from './layer-norm';
import { lstmNode } from './lstm';
import { maxPoolNode } from './max-pool';
import { meanPoolNode } from './mean-pool';
import { nextTokenHeadNode } from './next-token-head';
import { positionalEncodingNode } from './positional-encoding';
import { selfAttentionNode } from './self-attention';
import { simpleRnnNode } from './simple-rnn';
import { taggerHeadNode } from './tagger-head';
import { tokenInputNode } from './token-input';
import { transformerBlockNode } from './transformer-block';

/**
 * Every node type, in palette order. Adding a node type touches its own file and this list only.
 * (DESIGN §3.)
 */
export const NODE_DEFS: readonly AnyNodeDef[] = [
  tokenInputNode,
  embeddingNode,
  positionalEncodingNode,
  bagOfWordsNode,
  simpleRnnNode,
  lstmNode,
  gruNode,
  selfAttentionNode,
  transformerBlockNode,
  feedForwardNode,
  denseNode,
  layerNormNode,
  dropoutNode,
  addNode,
  concatNode,
  meanPoolNode,
  maxPoolNode,
  lastTokenNode,
  nextTokenHeadNode,
  classifierHeadNode,
  taggerHeadNode,
];

const byType = new Map<string, AnyNodeDef>(NODE_DEFS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export const getNodeDef = (type: string): AnyNodeDef | undefined => byType.get(type);
