import * as tf from '@tensorflow/tfjs';
import { addNode } from './add';
import { bagOfWordsNode } from './bag-of-words';
import { classifierHeadNode } from './classifier-head';
import { concatNode } from './concat';
import { conv1dNode } from './conv1d';
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
import { rmsNormNode } from './rms-norm';
import { selfAttentionNode } from './self-attention';
import { simpleRnnNode } from './simple-rnn';
import { swiGluNode } from './swiglu';
import { taggerHeadNode } from './tagger-head';
import { tokenInputNode } from './token-input';
import { transformerBlockNode } from './transformer-block';

/**
 * Every node type, in palette order. Adding a node type touches its own file and this list only
 * (docs/architecture.md#adding-a-node-type).
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
  swiGluNode,
  conv1dNode,
  denseNode,
  layerNormNode,
  rmsNormNode,
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

let registered = false;

/**
 * Registers every node's custom layers with tf.js serialization, so a saved model that uses them loads again;
 * safe to call any number of times. The list is the registry's: a node's layers are declared in its own file.
 */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const cls of new Set(NODE_DEFS.flatMap((d) => d.layers))) tf.serialization.registerClass(cls);
  registered = true;
}

/** The type of the head that does `task` (e.g. NextTokenHead), for messages that suggest one. */
export const headLabelFor = (task: string): string =>
  NODE_DEFS.find((d) => d.head === task)?.type ?? `a head for ${task}`;
