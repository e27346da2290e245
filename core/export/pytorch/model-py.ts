import { getNodeDef } from '../../nodes/index';
import {
  shapeComment,
  type CodeContext,
  type ExportPlan,
  type NodeCode,
  type PlanNode,
  type PyModule,
} from '../../nodes/pytorch';
import { ioSource } from './io-py';

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

/** Each node's model.py lines, from its own definition in the registry, in plan order. */
function nodeCodes(plan: ExportPlan): { codes: { node: PlanNode; code: NodeCode }[]; valueOf: (id: string) => string } {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const values = new Map<string, string>();
  const valueOf = (id: string): string => {
    const v = values.get(id);
    if (v === undefined) throw new Error(`model.py: node "${id}" is not part of the export plan before its use`);
    return v;
  };
  const ctx: CodeContext = {
    plan,
    valueOf,
    input: (n, port) => {
      const src = byId.get(n.inputs[port] ?? '');
      if (!src) throw new Error(`model.py: ${n.type} "${n.id}" has nothing on port "${port}"`);
      return src;
    },
  };
  const codes = plan.nodes.map((node) => {
    const def = getNodeDef(node.type);
    if (!def) throw new Error(`model.py: no node type ${node.type} (planExport should have refused it)`);
    const code = def.pytorch.code(ctx, node);
    values.set(node.id, code.value ?? node.py);
    return { node, code };
  });
  return { codes, valueOf };
}

/** The Python classes the nodes use, each once, every class after the ones it needs, in order of first use. */
function modulesInOrder(codes: readonly { code: NodeCode }[]): PyModule[] {
  const out: PyModule[] = [];
  const seen = new Set<string>();
  const visit = (m: PyModule): void => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    for (const dep of m.needs ?? []) visit(dep);
    out.push(m);
  };
  for (const { code } of codes) for (const m of code.modules ?? []) visit(m);
  return out;
}

/**
 * model.py: the graph as one readable nn.Module, a module attribute per node in topological order and one line
 * of `forward` per node with its shape, preceded by the blocks it uses and followed by the file helpers.
 */
export function modelPy(plan: ExportPlan, labels: readonly string[]): string {
  const { codes, valueOf } = nodeCodes(plan);
  const head = plan.nodes.find((n) => n.id === plan.headId);
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
    ...modulesInOrder(codes).map((m) => `\n\n${m.source}`),
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
      .join('')}        return ${valueOf(head.id)}


${ioSource}`,
  ].join('');
}
