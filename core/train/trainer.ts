import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batch';
import type { Task } from '../nodes/define';
import { TrainControl } from './control';
import { batchTensors, confusionCounts, evalSums, maskedCrossEntropy } from './loss';
import { adamWFor, type AdamW } from './optimizer';
import type { TrainConfig, TrainEvent } from './protocol';
import { learningRateAt } from './schedule';
import { mulberry32 } from './seed';

/** Where batches come from; core/data provides one over a PreparedDataset. */
export interface BatchSource {
  nextBatch(rng: () => number): Batch;
  /** The same validation batches on every call (made one at a time, so a big split is never held whole). */
  evalBatches(): Iterable<Batch>;
}

export interface TrainOptions {
  model: tf.LayersModel;
  task: Task;
  config: TrainConfig;
  data: BatchSource;
  emit: (e: TrainEvent) => void;
  control?: TrainControl;
  /** Step to start from (a resumed checkpoint). */
  startStep?: number;
  checkpointEvery?: number;
  onCheckpoint?: (step: number) => Promise<void>;
  /** Lets the host handle messages (pause/stop) between steps; a macrotask by default. */
  yieldToHost?: () => Promise<void>;
  now?: () => number;
  /** The backend the steps run on, named when the divergence guard stops a run. */
  backend?: string;
  /** Variable names the optimizer must not touch (frozen nodes, core/train/freeze.ts). */
  frozen?: ReadonlySet<string>;
  /** Scores generations at each evaluation (chrF on validation prompts, 0..100), reported next to the loss. */
  scoreGeneration?: () => Promise<number>;
}

export interface TrainResult {
  steps: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy?: number;
  seconds: number;
  stopped: boolean;
  failed: boolean;
}

const macrotask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * The training loop: AdamW, warmup + cosine schedule, global-norm clipping, periodic evaluation,
 * pause/resume/stop and a NaN guard. Pure core: no DOM, no Node APIs; events go to `emit`.
 */
export async function runTraining(o: TrainOptions): Promise<TrainResult> {
  const { model, config, data, emit } = o;
  const control = o.control ?? new TrainControl();
  const now = o.now ?? (() => performance.now());
  const yieldToHost = o.yieldToHost ?? macrotask;
  const rng = mulberry32(config.seed);
  const optimizer = adamWFor(config);
  const vars = uniqueVariables(model).filter((v) => !o.frozen?.has(v.name));
  const t0 = now();
  let step = o.startStep ?? 0;
  let trainLoss = NaN;
  let last: { valLoss: number; valAccuracy?: number; examples?: number } = { valLoss: NaN };
  let tokensSeen = 0;
  let failed = false;
  const guard = new DivergenceGuard(uniformLoss(model));

  const evaluate = async (): Promise<void> => {
    last = await evaluateModel(model, o.task, data.evalBatches());
    const chrf = o.scoreGeneration ? await o.scoreGeneration() : undefined;
    emit({
      event: 'eval',
      step,
      ...last,
      ...(o.task === 'next-token' ? { perplexity: Math.exp(last.valLoss) } : {}),
      ...(chrf !== undefined ? { chrf } : {}),
      elapsed: (now() - t0) / 1000,
    });
  };

  try {
    while (step < config.steps && !control.isStopped) {
      if (control.isPaused) {
        emit({ event: 'paused', step });
        await control.waitWhilePaused();
        if (control.isStopped) break;
        emit({ event: 'resumed', step });
      }
      const batch = data.nextBatch(rng);
      const lr = learningRateAt(step, config);
      const started = now();
      const lossT = trainStep(model, vars, optimizer, batch, lr);
      const loss = (await lossT.data())[0];
      lossT.dispose();
      step += 1;
      if (!Number.isFinite(loss)) {
        failed = true;
        emit({
          event: 'error',
          step,
          message: `Training stopped at step ${step}: the loss became ${loss}. Lower the learning rate (now ${config.learningRate}).`,
        });
        break;
      }
      trainLoss = loss;
      const diverged = guard.check(loss);
      if (diverged) {
        failed = true;
        emit({ event: 'error', step, message: divergenceMessage(step, diverged, config.learningRate, o.backend) });
        break;
      }
      const tokens = batch.batchSize * batch.seqLen;
      tokensSeen += tokens;
      const dt = Math.max(1e-6, (now() - started) / 1000);
      emit({
        event: 'step',
        step,
        loss,
        lr,
        tokensPerSec: tokens / dt,
        elapsed: (now() - t0) / 1000,
        tokens: tokensSeen,
      });
      if (step % config.evalEvery === 0 || step === config.steps) await evaluate();
      if (o.onCheckpoint && o.checkpointEvery && step % o.checkpointEvery === 0) await o.onCheckpoint(step);
      await yieldToHost();
    }
    if (!failed && control.isStopped && step > 0) await evaluate();
  } finally {
    optimizer.dispose();
  }
  const seconds = (now() - t0) / 1000;
  const result: TrainResult = { steps: step, trainLoss, ...last, seconds, stopped: control.isStopped, failed };
  if (!failed) emit({ event: 'done', steps: step, trainLoss, ...last, seconds, stopped: control.isStopped });
  return result;
}

/** The loss of a uniform guess over the model's outputs: ln K for K classes or tokens (NaN when unknown). */
export function uniformLoss(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape ?? [];
  const k = shape[shape.length - 1];
  return typeof k === 'number' && k > 1 ? Math.log(k) : NaN;
}

export interface Divergence {
  loss: number;
  initial: number;
  uniform: number;
  steps: number;
}

/**
 * NaN is not the only way a run fails: a loss that climbs far above where it started and above a uniform guess,
 * and stays there, means the weights are lost (a learning rate too high, or a backend computing wrong results).
 * The limit is `factor` × max(first loss, ln K) for `patience` steps in a row; a normal run, even one with an
 * early spike, never gets near it (cross-entropy of a trained or fresh model sits around or below ln K).
 */
export class DivergenceGuard {
  static readonly FACTOR = 3;
  static readonly PATIENCE = 5;
  private initial = NaN;
  private run = 0;
  constructor(
    private readonly uniform: number,
    private readonly factor = DivergenceGuard.FACTOR,
    private readonly patience = DivergenceGuard.PATIENCE,
  ) {}

  get limit(): number {
    const base = Number.isFinite(this.uniform) ? Math.max(this.initial, this.uniform) : this.initial;
    return this.factor * base;
  }

  /** Feeds one step's (finite) loss; returns what diverged once the loss has stayed above the limit long enough. */
  check(loss: number): Divergence | undefined {
    if (Number.isNaN(this.initial)) this.initial = loss;
    this.run = loss > this.limit ? this.run + 1 : 0;
    if (this.run < this.patience) return undefined;
    return { loss, initial: this.initial, uniform: this.uniform, steps: this.run };
  }
}

const fmtLoss = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

/** The one sentence a diverged run ends with. */
export function divergenceMessage(step: number, d: Divergence, learningRate: number, backend?: string): string {
  const factor = DivergenceGuard.FACTOR;
  const limit = factor * (Number.isFinite(d.uniform) ? Math.max(d.initial, d.uniform) : d.initial);
  const basis = Number.isFinite(d.uniform)
    ? `${factor}× the larger of its first loss, ${fmtLoss(d.initial)}, and a uniform guess, ${fmtLoss(d.uniform)}`
    : `${factor}× its first loss, ${fmtLoss(d.initial)}`;
  const onBackend = backend ? `, or train on another backend than ${backend}` : '';
  return (
    `Training stopped at step ${step}: the loss climbed to ${fmtLoss(d.loss)} and stayed above ${fmtLoss(limit)} ` +
    `(${basis}) for ${d.steps} steps. Lower the learning rate (now ${learningRate})${onBackend}.`
  );
}

/** One optimisation step; returns the loss scalar (the caller reads and disposes it). */
export function trainStep(model: tf.LayersModel, vars: tf.Variable[], opt: AdamW, batch: Batch, lr: number): tf.Scalar {
  return optimizeStep((tokens) => model.apply(tokens, { training: true }) as tf.Tensor, vars, opt, batch, lr);
}

/** One step for any forward function (tokens (B, T) → logits): what the benchmark's hand-written models share. */
export function optimizeStep(forward: (tokens: tf.Tensor2D) => tf.Tensor, vars: tf.Variable[], opt: AdamW, batch: Batch, lr: number): tf.Scalar {
  return tf.tidy(() => {
    const { tokens, targets, weights } = batchTensors(batch);
    const { value, grads } = tf.variableGrads(() => maskedCrossEntropy(forward(tokens), targets, weights), vars);
    opt.apply(vars, grads, lr).dispose();
    return value;
  });
}

/** Above this many classes the confusion matrix is left out of eval events (a 50×50 table is already unreadable). */
export const MAX_CONFUSION_CLASSES = 50;

/**
 * Weighted validation loss and accuracy (accuracy for classifiers and taggers) over every batch
 * given, and how many examples (rows with any weight) they held.
 */
export async function evaluateModel(
  model: tf.LayersModel,
  task: Task,
  batches: Iterable<Batch>,
): Promise<{ valLoss: number; valAccuracy?: number; examples: number; confusion?: number[][] }> {
  let loss = 0;
  let confusion: tf.Tensor2D | undefined;
  let hits = 0;
  let weight = 0;
  let examples = 0;
  for (const b of batches) {
    // One forward pass per batch: the loss sums and, for classifiers and taggers, the confusion counts.
    const { sums, counts } = tf.tidy(() => {
      const { tokens, targets, weights } = batchTensors(b);
      const logits = model.apply(tokens, { training: false }) as tf.Tensor;
      const out: { sums: tf.Tensor1D; counts?: tf.Tensor2D } = { sums: evalSums(logits, targets, weights) };
      if (task !== 'next-token') out.counts = confusionCounts(logits, targets, weights);
      return out;
    });
    const [l, h, w] = await sums.data();
    sums.dispose();
    if (counts) {
      const total: tf.Tensor2D = confusion ? tf.add(confusion, counts) : counts;
      if (confusion) {
        confusion.dispose();
        counts.dispose();
      }
      confusion = total;
    }
    loss += l;
    hits += h;
    weight += w;
    examples += examplesIn(b);
  }
  const valLoss = weight > 0 ? loss / weight : NaN;
  if (task === 'next-token') return { valLoss, examples };
  const matrix = confusion && confusion.shape[0] <= MAX_CONFUSION_CLASSES ? ((await confusion.array()) as number[][]) : undefined;
  confusion?.dispose();
  return { valLoss, valAccuracy: weight > 0 ? hits / weight : NaN, examples, ...(matrix && { confusion: matrix }) };
}

/** Rows of a batch that carry any loss weight (the rest fill up the last batch). */
function examplesIn(b: Batch): number {
  const perRow = b.weights.length / b.batchSize;
  let n = 0;
  for (let r = 0; r < b.batchSize; r++) {
    for (let k = r * perRow; k < (r + 1) * perRow; k++) {
      if (b.weights[k] > 0) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** The model's trainable variables, once each (a tied embedding is shared by two layers). */
export function uniqueVariables(model: tf.LayersModel): tf.Variable[] {
  const seen = new Map<string, tf.Variable>();
  for (const w of model.trainableWeights) {
    const v = w.read() as tf.Variable;
    seen.set(v.name, v);
  }
  return [...seen.values()];
}
