import { addNode } from './add';
import { classifierHeadNode } from './classifier-head';
import { concatNode } from './concat';
import type { AnyNodeDef } from './define';
import { denseNode } from './dense';
import { dropoutNode } from './dropout';
import { embeddingNode } from './embedding';
import { feedForwardNode } from './feed-forward';
import { layerNormNode } from './layer-norm';
import { nextTokenHeadNode } from './next-token-head';
import { taggerHeadNode } from './tagger-head';
import { tokenInputNode } from './token-input';

/**
 * Every node type, in palette order. Adding a node type touches its own file and this list only.
 * (DESIGN §3.)
 */
export const NODE_DEFS: readonly AnyNodeDef[] = [
  tokenInputNode,
  embeddingNode,
  feedForwardNode,
  denseNode,
  layerNormNode,
  dropoutNode,
  addNode,
  concatNode,
  nextTokenHeadNode,
  classifierHeadNode,
  taggerHeadNode,
];

const byType = new Map<string, AnyNodeDef>(NODE_DEFS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export const getNodeDef = (type: string): AnyNodeDef | undefined => byType.get(type);
