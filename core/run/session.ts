import * as tf from '@tensorflow/tfjs';
import { iterateEvalBatches, sampleBatch } from '../data/batching';
import type { PreparedDataset } from '../data/prepare';
import type { Graph } from '../graph/model';
import { compileGraph, type AttentionInfo } from '../compile/compile';
import type { Diagnostic } from '../graph/diagnostics';
import { saveModelArtifacts } from '../compile/artifacts';
import { inferGraph } from '../shapes/infer';
import type { TrainControl } from '../train/control';
import type { TrainConfig, TrainEvent } from '../train/protocol';
import { withSeededRandom } from '../train/seed';
import { runTraining, type BatchSource } from '../train/trainer';
import { artifactsToFiles, runToFiles, type RunFiles } from './files';
import type { RunManifest } from './manifest';
import { chrfOnPairs, heldOutPairs } from '../eval/answers';
import { predictorOf } from './load';
import { headLabelFor } from '../nodes/index';
import { FreezeError, frozenVariables, resolveFreeze } from '../train/freeze';
import { warmStart, type WarmStartParent, type WarmStartReport } from './warm-start';

/** A graph that cannot be compiled: its diagnostics, each naming a node or edge. */
export class GraphError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join(' '));
    this.name = 'GraphError';
  }
}

export interface TrainRunInput {
  graph: Graph;
  data: PreparedDataset;
  config: TrainConfig;
  backend: string;
  emit: (e: TrainEvent) => void;
  id?: string;
  name?: string;
  valFraction?: number;
  control?: TrainControl;
  yieldToHost?: () => Promise<void>;
  checkpointEvery?: number;
  onCheckpoint?: (step: number, run: TrainedRun) => Promise<void>;
  /** Called once the model is built, before the first step (predictions during training use it). */
  onCompiled?: (run: TrainedRun) => void;
  /** Fine-tuning: the trained run whose weights load by node id before the first step (core/run/warm-start.ts). */
  parent?: WarmStartParent;
  /** Node ids (or `all-but-head`) whose weights stay fixed. */
  freeze?: readonly string[];
  /** Refuse to train when a parent node cannot load (WarmStartError). */
  strict?: boolean;
}

export interface TrainedRun {
  manifest: RunManifest;
  model: tf.LayersModel;
  attention: AttentionInfo[];
  /** What loaded from the parent, for fine-tuned runs. */
  warmStart?: WarmStartReport;
}

/** Greedy answers scored at each evaluation: few prompts, so evaluation stays quick. */
export const DEFAULT_CHRF_PROMPTS = 16;
/** Tokens an answer may run to before it is cut (and its window, T, caps it too). */
export const CHRF_MAX_TOKENS = 64;

/**
 * Batches of a prepared dataset at the model's T. Validation is the whole validation split (up to
 * maxEvalExamples: 1,024 rows or 16,384 next-token targets), made a batch at a time on each evaluation; `config.evalBatches` > 0
 * caps it at that many batches (quick tests).
 */
export function batchSource(data: PreparedDataset, seqLen: number, config: TrainConfig): BatchSource {
  const shape = { batchSize: config.batchSize, seqLen };
  const split = data.val.kind === 'stream' && data.val.ids.length < 2 ? data.train : data.val;
  // Evaluation keeps no gradients, so it takes bigger batches (fewer calls) than a small training batch.
  const evalShape = config.evalBatches > 0 ? shape : { ...shape, batchSize: Math.max(config.batchSize, EVAL_BATCH) };
  const options = config.evalBatches > 0 ? { ...shape, maxBatches: config.evalBatches } : evalShape;
  return {
    nextBatch: (rng) => sampleBatch(data.train, shape, rng),
    evalBatches: () => iterateEvalBatches(split, options),
  };
}

/** The smallest batch an evaluation of the whole validation split is made in. */
const EVAL_BATCH = 32;

/** Compiles `graph` for `data` with seeded initial weights; throws GraphError for a bad graph. */
export function compileForData(graph: Graph, data: PreparedDataset, seed: number) {
  // The head's task is checked before building: a classifier built for next-token data (C = 0)
  // would fail inside tf.js with a message that names nothing.
  const { task, headId } = inferGraph(graph, data.binding);
  if (task !== undefined) checkTask(task, headId, data);
  const res = withSeededRandom(seed, () => compileGraph(graph, data.binding));
  if (!res.ok) throw new GraphError(res.diagnostics);
  checkTask(res.task, res.headId, data);
  return res;
}

function checkTask(task: string, headId: string | undefined, data: PreparedDataset): void {
  if (task === data.task) return;
  throw new GraphError([
    {
      severity: 'error',
      code: 'no-head',
      nodeId: headId,
      message: `The graph's head does ${task} but the dataset "${data.name}" is for ${data.task}; pick a ${headFor(data.task)}.`,
    },
  ]);
}

const headFor = headLabelFor;

/** Fine-tuning: the parent's weights loaded and the frozen nodes resolved; the model is disposed on a refusal. */
function startFrom(model: tf.LayersModel, headId: string, input: TrainRunInput) {
  const { graph, data } = input;
  try {
    const warm = input.parent && warmStart(model, graph, data.binding, input.parent, input.strict);
    const frozenIds = resolveFreeze(input.freeze ?? [], graph, headId);
    const frozen = frozenIds.length ? frozenVariables(model, graph, data.binding, frozenIds) : undefined;
    if (frozen && model.trainableWeights.every((w) => frozen.has((w.read() as tf.Variable).name)))
      throw new FreezeError(`Every weight of "${graph.name}" is frozen; unfreeze at least one block to train.`);
    return { warm, frozenIds, frozen };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Compile, train and record a run: the one path the CLI, the worker and tests share. */
export async function trainRun(input: TrainRunInput): Promise<TrainedRun> {
  const { graph, data, config } = input;
  const compiled = compileForData(graph, data, config.seed);
  const analysis = inferGraph(graph, data.binding);
  const seqLen = analysis.seqLen ?? 64;
  const { warm, frozenIds, frozen } = startFrom(compiled.model, compiled.headId, input);
  const manifest: RunManifest = {
    format: 'wordloom-run',
    version: 1,
    id: input.id ?? `run-${Date.now().toString(36)}`,
    name: input.name ?? graph.name,
    createdAt: new Date().toISOString(),
    graph,
    data: {
      source: data.name,
      task: data.task,
      promptCompletion: data.promptCompletion,
      valFraction: input.valFraction ?? 0.1,
    },
    tokenizer: data.tokenizer.spec,
    labels: data.labels,
    binding: data.binding,
    seqLen,
    training: config,
    backend: input.backend,
    attention: compiled.attention,
    totals: { params: compiled.model.countParams(), flopsPerToken: analysis.totals.flopsPerToken },
    metrics: { steps: [], evals: [] },
    ...(warm && {
      parent: {
        runId: warm.parentId,
        name: warm.parentName,
        step: warm.parentStep,
        loaded: warm.nodes.filter((n) => n.status === 'loaded').map((n) => n.nodeId),
        refused: warm.nodes.filter((n) => n.status === 'refused').map((n) => n.nodeId),
        frozen: frozenIds,
      },
    }),
  };
  const run: TrainedRun = { manifest, model: compiled.model, attention: compiled.attention, warmStart: warm };
  const chrfPairs =
    data.promptCompletion && data.task === 'next-token'
      ? heldOutPairs(data, config.chrfPrompts ?? DEFAULT_CHRF_PROMPTS)
      : [];
  const predictor = predictorOf(manifest, data.tokenizer, compiled.model);
  input.onCompiled?.(run);
  input.emit({
    event: 'start',
    totalSteps: config.steps,
    params: manifest.totals.params,
    backend: input.backend,
    task: data.task,
    vocabSize: data.binding.vocabSize,
  });
  const result = await runTraining({
    model: compiled.model,
    task: data.task,
    config,
    backend: input.backend,
    data: batchSource(data, seqLen, config),
    frozen,
    scoreGeneration: chrfPairs.length
      ? () => chrfOnPairs(predictor, chrfPairs, Math.min(CHRF_MAX_TOKENS, seqLen))
      : undefined,
    control: input.control,
    yieldToHost: input.yieldToHost,
    checkpointEvery: input.checkpointEvery,
    onCheckpoint: input.onCheckpoint && ((step) => input.onCheckpoint!(step, run)),
    emit: (e) => {
      if (e.event === 'step')
        manifest.metrics.steps.push({
          step: e.step,
          loss: e.loss,
          lr: e.lr,
          tokensPerSec: e.tokensPerSec,
          elapsed: e.elapsed,
          tokens: e.tokens,
        });
      if (e.event === 'eval')
        manifest.metrics.evals.push({
          step: e.step,
          valLoss: e.valLoss,
          valAccuracy: e.valAccuracy,
          perplexity: e.perplexity,
          ...(e.examples !== undefined ? { examples: e.examples } : {}),
          ...(e.chrf !== undefined && { chrf: e.chrf }),
          elapsed: e.elapsed,
        });
      input.emit(e);
    },
  });
  // The manifest keeps the result without `failed`: a failed run ends in its error event instead.
  const rest: Partial<typeof result> = { ...result };
  delete rest.failed;
  manifest.result = rest as RunManifest['result'];
  return run;
}

/** A trained run as files (run.json, tokenizer.json, model.json, weights.bin). */
export async function runFiles(run: TrainedRun, data: Pick<PreparedDataset, 'tokenizer'>): Promise<RunFiles> {
  const artifacts = await saveModelArtifacts(run.model);
  return runToFiles(run.manifest, data.tokenizer.toJSON(), artifactsToFiles(artifacts));
}
