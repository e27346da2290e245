import { BLOCK_NEEDS, BLOCK_ORDER, BLOCK_SOURCE, type Block } from './blocks-py';
import { ioSource } from './io-py';
import { nodeCode, shapeComment, valueOf, type CodeContext } from './node-code';
import type { ExportPlan } from './plan';

/** Text that is safe inside a Python triple-quoted docstring. */
export const docText = (s: string): string => s.replace(/\\/g, '/').replace(/"""/g, "'''");

/** Breaks a line of ` -> `-joined ids into lines of at most `width` characters, each indented by 4. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(' -> ')) {
    const next = line === '' ? part : `${line} -> ${part}`;
    if (next.length > width && line !== '') {
      lines.push(`${line} ->`);
      line = part;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l) => `    ${l}`).join('\n');
}

const TASK_OUT: Record<ExportPlan['task'], string> = {
  'next-token': 'next-token logits',
  classify: 'class logits',
  tag: 'tag logits, one row per token',
};

/**
 * model.py: the graph as one readable nn.Module, a module attribute per node in topological order and one line
 * of `forward` per node with its shape, preceded by the blocks it uses and followed by the file helpers.
 */
export function modelPy(plan: ExportPlan, labels: readonly string[]): string {
  const ctx: CodeContext = { plan, byId: new Map(plan.nodes.map((n) => [n.id, n])) };
  const codes = plan.nodes.map((n) => ({ node: n, code: nodeCode(ctx, n) }));
  const used = new Set<Block>();
  const need = (b: Block): void => {
    used.add(b);
    for (const dep of BLOCK_NEEDS[b] ?? []) need(dep);
  };
  for (const { code } of codes) if (code.block) need(code.block);
  const head = ctx.byId.get(plan.headId);
  if (!head) throw new Error(`model.py: the head "${plan.headId}" is not in the plan`);
  const forward = codes.flatMap(({ code }) => (code.forward ? [code.forward] : []));
  const usesKeep = forward.some((l) => /\bkeep\b/.test(l));
  const init = codes.flatMap(({ node, code }) => (code.init ? [`${code.init}  # ${node.type} "${node.id}"`] : []));
  const path = plan.nodes.map((n) => n.id).join(' -> ');
  const name = docText(plan.name);
  return [
    `"""${name}: exported from Wordloom.

A plain PyTorch module generated from the Wordloom graph "${name}", node by node in the graph's order:
${wrap(docText(path), 110)}
The weights in weights.safetensors were converted from the trained tf.js model (Dense kernels transposed
to nn.Linear's (out, in)); with them it computes the same logits as Wordloom.

    from model import load_model
    model = load_model()            # reads weights.safetensors next to this file
    logits = model(token_ids)       # token_ids: (B, T) int64, 0 = padding

Needs only torch; the safetensors package is used when installed.
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

V = ${plan.binding.vocabSize}  # vocabulary size, including the padding id 0
C = ${plan.task === 'next-token' ? 0 : plan.binding.numClasses}  # classes (classify) or tags (tag); 0 for a language model
T = ${plan.seqLen}  # context window: the longest input the model takes
TASK = ${JSON.stringify(plan.task)}  # next-token, classify or tag
LABELS = ${JSON.stringify(labels)}  # class or tag names, index = id
PAD_ID = 0  # padding: never a real token; masked out by attention, pooling and the RNNs
`,
    ...BLOCK_ORDER.filter((b) => used.has(b)).map((b) => `\n\n${BLOCK_SOURCE[b]}`),
    `

class Model(nn.Module):
    """${name}: one attribute per Wordloom node."""

    def __init__(self):
        super().__init__()
${init.map((l) => `        ${l}\n`).join('')}
    def forward(self, tokens):
        """tokens: (B, T) int64 ids, 0 = padding -> ${TASK_OUT[plan.task]} ${shapeComment(head.out)}."""
        assert tokens.dim() == 2 and tokens.size(1) <= T, f"expected tokens (B, T <= {T}), got {tuple(tokens.shape)}"
${usesKeep ? '        keep = (tokens != PAD_ID).float()  # (B, T): 1 at real tokens, 0 at padding\n' : ''}${forward
      .map((l) => `        ${l}\n`)
      .join('')}        return ${valueOf(ctx, head.id)}


${ioSource}`,
  ].join('');
}
