import * as tf from '@tensorflow/tfjs';
import { sampleBatch } from '../data/batching';
import type { Batch } from '../data/batch';
import type { PreparedDataset } from '../data/prepare';
import type { Graph } from '../graph/model';
import { registerWordloomKernels } from '../kernels/index';
import { compileForData } from '../run/session';
import { inferGraph } from '../shapes/infer';
import { batchTensors, maskedCrossEntropy } from '../train/loss';
import { adamWFor } from '../train/optimizer';
import type { TrainConfig } from '../train/protocol';
import { mulberry32 } from '../train/seed';
import { trainStep, uniqueVariables } from '../train/trainer';
import type { BackendName, BackendReport, BackendVerdict } from './protocol';

/**
 * The verified, timed backend pick. A backend is used automatically only if, on the user's own compiled model
 * (same initial weights, same fixed batch), one forward + backward gives the reference's loss and gradient norm
 * within the tolerances below; among those that do, the fastest over a few real training steps wins.
 */

/** Relative tolerance on the loss of one forward pass (float32 on every backend; order of sums differs). */
export const LOSS_TOLERANCE = 0.01;
/** Relative tolerance on the global gradient norm of one backward pass. */
export const GRAD_NORM_TOLERANCE = 0.02;
/** Timed training steps per backend, after one untimed step that compiles shaders and warms caches. */
export const TIMED_STEPS = 3;

/** Machine facts the host learns from the page it runs in (none of them exist in core). */
export interface BackendEnvironment {
  /** wasm thread pool size once wasm started (1 when the page is not cross-origin isolated). */
  wasmThreads?: () => number | undefined;
  /** Whether the worker is cross-origin isolated (SharedArrayBuffer, hence wasm threads). */
  isolated?: boolean;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render/i;

/** The GPU adapter or renderer a GPU backend runs on, when the backend tells (a structural read: no DOM types). */
export function rendererOf(name: BackendName): string | undefined {
  const backend: unknown = tf.findBackend(name);
  if (!backend || typeof backend !== 'object') return undefined;
  if (name === 'webgpu') {
    const info: unknown = Reflect.get(backend, 'adapterInfo');
    if (!info || typeof info !== 'object') return undefined;
    const parts = ['vendor', 'architecture', 'description', 'device']
      .map((k) => Reflect.get(info, k))
      .filter((v): v is string => typeof v === 'string' && v.length > 0);
    return parts.length ? parts.join(' ') : undefined;
  }
  if (name === 'webgl') {
    const gpgpu: unknown = Reflect.get(backend, 'gpgpu');
    const gl: unknown = gpgpu && typeof gpgpu === 'object' ? Reflect.get(gpgpu, 'gl') : undefined;
    if (!gl || typeof gl !== 'object') return undefined;
    const getExtension: unknown = Reflect.get(gl, 'getExtension');
    const getParameter: unknown = Reflect.get(gl, 'getParameter');
    if (typeof getExtension !== 'function' || typeof getParameter !== 'function') return undefined;
    const ext: unknown = getExtension.call(gl, 'WEBGL_debug_renderer_info');
    const key: unknown = ext && typeof ext === 'object' ? Reflect.get(ext, 'UNMASKED_RENDERER_WEBGL') : undefined;
    const value: unknown = getParameter.call(gl, typeof key === 'number' ? key : 0x1f01 /* RENDERER */);
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/** "SwiftShader" etc. when a GPU backend is emulated on the CPU. */
export function softwareRenderer(renderer: string | undefined): string | undefined {
  const m = renderer ? SOFTWARE_RENDERER.exec(renderer) : null;
  if (!m) return undefined;
  return /swiftshader/i.test(m[0]) ? 'SwiftShader' : /llvmpipe|lavapipe/i.test(m[0]) ? 'llvmpipe' : 'software';
}

/** Sets and readies a backend with Wordloom's kernels, then checks it can take a gradient. Throws why not. */
export async function startBackend(name: BackendName): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error('not available here');
  await tf.ready();
  registerWordloomKernels(name);
  const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, x)))(tf.ones([4, 4])));
  await g.data();
  g.dispose();
}

/** What is known of a backend without a model: whether it starts, its renderer, its threads. */
export async function probeBackend(name: BackendName, env: BackendEnvironment): Promise<BackendVerdict> {
  try {
    await startBackend(name);
  } catch (e) {
    return { name, started: false, error: e instanceof Error ? e.message : String(e) };
  }
  const renderer = rendererOf(name);
  const software = softwareRenderer(renderer);
  const threads = name === 'wasm' ? env.wasmThreads?.() : undefined;
  return {
    name,
    started: true,
    ...(renderer !== undefined && { renderer }),
    ...(software !== undefined && { software }),
    ...(threads !== undefined && { threads }),
  };
}

/** A short, stable hash (FNV-1a, 32 bits) of a string, as hex. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The key a pick is remembered by: what changes the kernels a step runs (node types and params, wiring, the
 * data's binding, T, batch size, tokenizer) and the machine (its backends' renderers and thread counts).
 * Node positions, names and the data's text do not change the kernels, so they are left out.
 */
export function pickKey(
  graph: Graph,
  data: PreparedDataset,
  batchSize: number,
  machine: readonly BackendVerdict[],
): string {
  const nodes = [...graph.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => [n.id, n.type, Object.entries(n.params).sort(([a], [b]) => (a < b ? -1 : 1))]);
  const edges = graph.edges.map((e) => `${e.from.node}.${e.from.port}>${e.to.node}.${e.to.port}`).sort();
  const model = JSON.stringify({ nodes, edges, binding: data.binding, batchSize, tokenizer: data.tokenizer.spec });
  const where = JSON.stringify(machine.map((v) => [v.name, v.started, v.renderer ?? '', v.threads ?? 0]));
  return `pick-v2-${fnv1a(model)}-${fnv1a(where)}`; // v2: wasm timed at each thread count
}

interface Reference {
  weights: Float32Array[];
  shapes: number[][];
  loss: number;
  gradNorm: number;
}

/** Gives `model` the reference's initial weights (every backend is judged from the same start). */
function setReferenceWeights(model: tf.LayersModel, ref: Reference): void {
  const values = ref.weights.map((v, i) => tf.tensor(v, ref.shapes[i], 'float32'));
  model.setWeights(values);
  tf.dispose(values);
}

/** Loss and global gradient norm of one forward + backward on `batch` (no dropout: backends draw different masks). */
async function lossAndGradNorm(model: tf.LayersModel, batch: Batch): Promise<{ loss: number; gradNorm: number }> {
  const vars = uniqueVariables(model);
  const out = tf.tidy(() => {
    const { tokens, targets, weights } = batchTensors(batch);
    const f = () => maskedCrossEntropy(model.apply(tokens, { training: false }) as tf.Tensor, targets, weights);
    const { value, grads } = tf.variableGrads(f, vars);
    const sq = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return tf.stack([value, tf.sqrt(tf.addN(sq))]);
  });
  const [loss, gradNorm] = await out.data();
  out.dispose();
  return { loss, gradNorm };
}

/** The median of a non-empty list. */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const relDiff = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);

const fmt = (x: number): string =>
  !Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);

export interface CheckInput {
  graph: Graph;
  data: PreparedDataset;
  config: TrainConfig;
  /** The backends to judge, as probed (only started ones are checked). */
  candidates: readonly BackendVerdict[];
  /** The backend whose results are the truth (wasm, or cpu where wasm does not start). */
  reference: BackendName;
  /** Time steps on each verified backend (a forced backend needs only its verdict). */
  time: boolean;
  now: () => number;
  /** Progress for the status bar ("checking webgl…"). */
  onProgress?: (message: string) => void;
  /** Extra timed steps (the bench asks for more than the pick). */
  timedSteps?: number;
  /** Also time wasm at these other thread counts, when wasm is verified and timed. */
  wasmThreads?: WasmThreadChoice;
}

/** How the checks change the number of threads wasm runs on (the worker adapter owns the threads). */
export interface WasmThreadChoice {
  /** The counts to time wasm at; the one wasm runs at now is timed first. */
  counts: readonly number[];
  /** The count wasm runs on now. */
  current: () => number | undefined;
  /** Runs wasm on `threads` threads from now on; resolves once they are ready. */
  use: (threads: number) => Promise<void>;
}

/**
 * Checks each candidate against the reference on the user's model and times the verified ones.
 * Leaves the last backend it used set; the caller sets the one it picks.
 */
export async function checkBackends(input: CheckInput): Promise<BackendVerdict[]> {
  const { graph, data, config, now } = input;
  const seqLen = inferGraph(graph, data.binding).seqLen ?? 64;
  const batch = sampleBatch(data.train, { batchSize: config.batchSize, seqLen }, mulberry32(config.seed));
  const tokensPerStep = batch.batchSize * batch.seqLen;
  const steps = input.timedSteps ?? TIMED_STEPS;

  const order = [
    ...input.candidates.filter((c) => c.name === input.reference),
    ...input.candidates.filter((c) => c.name !== input.reference),
  ];
  let reference: Reference | undefined;
  let best = Infinity;
  const verdicts: BackendVerdict[] = [];
  for (const candidate of order) {
    if (!candidate.started) {
      verdicts.push(candidate);
      continue;
    }
    input.onProgress?.(`Checking ${candidate.name} on this model…`);
    let model: tf.LayersModel | undefined;
    try {
      await startBackend(candidate.name);
      model = compileForData(graph, data, config.seed).model;
      if (!reference) {
        const weights = model.getWeights();
        const shapes = weights.map((w) => w.shape);
        const values = await Promise.all(weights.map(async (w) => new Float32Array(await w.data())));
        reference = { weights: values, shapes, ...(await lossAndGradNorm(model, batch)) };
      } else {
        setReferenceWeights(model, reference);
      }
      const got = candidate.name === input.reference ? reference : await lossAndGradNorm(model, batch);
      const verdict: BackendVerdict = {
        ...probed(candidate), // not an earlier check's figures: a count this check does not time keeps none
        loss: got.loss,
        gradNorm: got.gradNorm,
        referenceLoss: reference.loss,
        referenceGradNorm: reference.gradNorm,
        verified: false,
      };
      const lossOk = Number.isFinite(got.loss) && relDiff(got.loss, reference.loss) <= LOSS_TOLERANCE;
      const gradOk = Number.isFinite(got.gradNorm) && relDiff(got.gradNorm, reference.gradNorm) <= GRAD_NORM_TOLERANCE;
      if (!lossOk)
        verdict.reason = `results differ from the reference: loss ${fmt(got.loss)} vs ${fmt(reference.loss)}`;
      else if (!gradOk)
        verdict.reason = `results differ from the reference: gradient norm ${fmt(got.gradNorm)} vs ${fmt(reference.gradNorm)}`;
      verdict.verified = lossOk && gradOk;
      if (verdict.verified && input.time) {
        const run: TimedRun = { model, batch, config, now, best };
        const threads = candidate.name === 'wasm' ? input.wasmThreads : undefined;
        Object.assign(
          verdict,
          threads
            ? await timeWasmThreads(threads, run, reference, 2 * steps, tokensPerStep, input.onProgress)
            : speedOf((await timeSteps(run, steps))[0], tokensPerStep),
        );
        best = Math.min(best, verdict.msPerStep ?? Infinity);
      }
      verdicts.push(verdict);
    } catch (e) {
      verdicts.push({
        ...candidate,
        verified: false,
        reason: `failed on this model: ${e instanceof Error ? e.message : String(e)}`,
      });
    } finally {
      model?.dispose();
    }
  }
  return verdicts;
}

/** What probing a backend found, without any model's check (a new check starts from this). */
function probed({ name, started, error, renderer, software, threads }: BackendVerdict): BackendVerdict {
  return { name, started, error, renderer, software, threads };
}

/** A model set up to be timed on the backend in use: its batch, its settings, the clock, the best ms so far. */
interface TimedRun {
  model: tf.LayersModel;
  batch: Batch;
  config: TrainConfig;
  now: () => number;
  best: number;
}

const speedOf = (ms: number, tokensPerStep: number) => ({ msPerStep: ms, tokensPerSec: (tokensPerStep / ms) * 1000 });

/**
 * wasm at the count it runs on now and at each other count of `choice`: each count's results checked against
 * the reference, then the counts timed alternately, step by step (A B B A…, `rounds` steps each after one
 * untimed step each), so that a slow moment of the machine falls on all of them rather than on the one timed
 * then. (Three steps of one count then three of the other picked 1 thread over 2 on a busy CI machine.)
 * Returns the fields of the wasm verdict: every count's median in `threadTimes`, and the fastest as `threads`,
 * `msPerStep` and `tokensPerSec`. The count left in use is the last one timed; the caller sets the one it wants.
 */
async function timeWasmThreads(
  choice: WasmThreadChoice,
  run: TimedRun,
  reference: Reference,
  rounds: number,
  tokensPerStep: number,
  onProgress?: (message: string) => void,
): Promise<Pick<BackendVerdict, 'threads' | 'msPerStep' | 'tokensPerSec' | 'threadTimes'>> {
  const now = choice.current() ?? 1;
  const counts = [{ asked: now, runs: now }];
  for (const asked of choice.counts) {
    if (counts.some((c) => c.asked === asked || c.runs === asked)) continue;
    onProgress?.(`Checking wasm with ${asked} thread${asked === 1 ? '' : 's'} on this model…`);
    try {
      await choice.use(asked);
    } catch {
      continue; // this count does not start here: the others stand
    }
    const runs = choice.current() ?? asked; // a build without threads runs 1 whatever it is asked
    if (counts.some((c) => c.runs === runs)) continue;
    setReferenceWeights(run.model, reference);
    const again = await lossAndGradNorm(run.model, run.batch);
    // Another split of the sums can move the last digits, never the verdict; if it does, skip that count.
    if (relDiff(again.loss, reference.loss) <= LOSS_TOLERANCE) counts.push({ asked, runs });
  }
  if (counts.length > 1) onProgress?.('Timing wasm at each thread count, step by step…');
  const ms = await timeSteps(run, rounds, counts.length, (i) => choice.use(counts[i].asked));
  const times = counts
    .map((c, i) => ({ threads: c.runs, ...speedOf(ms[i], tokensPerStep) }))
    .filter((t) => Number.isFinite(t.msPerStep))
    .sort((a, b) => a.threads - b.threads);
  const fastest = times.reduce<(typeof times)[number] | undefined>(
    (a, b) => (!a || b.msPerStep < a.msPerStep ? b : a),
    undefined,
  );
  return fastest ? { ...fastest, threadTimes: times } : { threads: now };
}

/**
 * Median ms of `steps` real AdamW steps after one untimed step, for each of `variants` (1, or thread counts set
 * up by `use`): each round times one step of each variant, in alternating order. Stops early once none can
 * beat `run.best`.
 */
async function timeSteps(
  run: TimedRun,
  steps: number,
  variants = 1,
  use?: (variant: number) => Promise<void>,
): Promise<number[]> {
  const { model, batch, config, now, best } = run;
  const vars = uniqueVariables(model);
  const opt = adamWFor(config);
  const times = Array.from({ length: variants }, (): number[] => []);
  try {
    for (let round = 0; round <= steps; round++) {
      const order = [...times.keys()];
      if (round % 2 === 0) order.reverse();
      for (const v of order) {
        await use?.(v);
        const t0 = now();
        const loss = trainStep(model, vars, opt, batch, config.learningRate);
        await loss.data();
        loss.dispose();
        if (round > 0) times[v].push(now() - t0); // round 0: shader compilation, first allocations
      }
      if (round > 0 && times.every((t) => t[t.length - 1] > 2 * best)) break; // twice as slow as the best: none can win
    }
  } finally {
    opt.dispose();
  }
  return times.map((t) => (t.length ? median(t) : NaN));
}

/** The fastest verified backend; the reference when none was timed. */
export function pickFastest(verdicts: readonly BackendVerdict[], reference: BackendName): BackendName {
  const timed = verdicts.filter((v) => v.verified && v.msPerStep !== undefined);
  if (!timed.length) return reference;
  return timed.reduce((a, b) => (b.msPerStep! < a.msPerStep! ? b : a)).name;
}

/** The report the worker posts and remembers. */
export function makeReport(
  key: string,
  reference: BackendName,
  verdicts: BackendVerdict[],
  picked: BackendName,
  at: string,
): BackendReport {
  return { key, reference, verdicts, picked, measuredAt: at };
}
