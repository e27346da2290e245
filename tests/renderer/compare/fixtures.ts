import type { Graph } from '../../../core/graph/model';
import type { EvalPoint, RunManifest, StepPoint } from '../../../core/run/manifest';
import { DEFAULT_TRAIN_CONFIG } from '../../../core/train/protocol';
import { findTemplate } from '../../../renderer/lib/templates';

export const template = (id: string): Graph => {
  const t = findTemplate(id);
  if (!t) throw new Error(`no template ${id}`);
  return t.graph;
};

/** `n` steps of a falling loss: `dt` seconds and `tokens` tokens per step. */
export const stepsOf = (n: number, o: { dt?: number; tokens?: number; loss0?: number } = {}): StepPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    loss: (o.loss0 ?? 4) - 0.1 * i,
    lr: 1e-3,
    tokensPerSec: 1000 + 10 * i,
    elapsed: (i + 1) * (o.dt ?? 0.5),
    tokens: (i + 1) * (o.tokens ?? 256),
  }));

/** A finished run's manifest, as the worker's 'saved' answer carries it. */
export function manifestOf(
  id: string,
  graph: Graph,
  o: { steps?: StepPoint[]; evals?: EvalPoint[]; task?: 'next-token' | 'classify' } = {},
): RunManifest {
  const steps = o.steps ?? stepsOf(10);
  const evals = o.evals ?? [
    { step: 5, valLoss: 3.5, perplexity: Math.exp(3.5), elapsed: 2.5 },
    { step: 10, valLoss: 3.2, perplexity: Math.exp(3.2), elapsed: 5 },
  ];
  return {
    format: 'wordloom-run',
    version: 1,
    id,
    name: `${graph.name} · shakespeare · 10:00`,
    createdAt: '2025-01-01T10:00:00.000Z',
    graph,
    data: { source: 'shakespeare', task: o.task ?? 'next-token', promptCompletion: false, valFraction: 0.1 },
    tokenizer: 'char',
    labels: [],
    binding: { vocabSize: 67, numClasses: 2 },
    seqLen: 64,
    training: { ...DEFAULT_TRAIN_CONFIG, steps: steps.length },
    backend: 'wasm',
    attention: [],
    totals: { params: 12345, flopsPerToken: 67890 },
    metrics: { steps, evals },
    result: { steps: steps.length, trainLoss: steps.at(-1)?.loss ?? 0, valLoss: 3.2, seconds: 5.5, stopped: false },
  };
}
