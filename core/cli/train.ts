import { join } from 'node:path';
import { parseGraphText } from '../graph/io';
import {
  defaultThreads,
  NODE_BACKENDS,
  nodeWasmThreads,
  startNodeBackend,
  type NodeBackend,
} from '../host-node/backend';
import { MAX_GEMM_THREADS } from '../kernels/own-gemm-threads';
import { checkRunDirFree, runDirOf, writeRunDir } from '../host-node/run-dir';
import { runFiles, trainRun, GraphError } from '../run/session';
import { TrainControl } from '../train/control';
import { DEFAULT_TRAIN_CONFIG, withTrainDefaults, type TrainEvent } from '../train/protocol';
import { parseArgs } from './args';
import type { CliIO, Command } from './command';
import { dataFileBytes, loadCliData } from './data';
import { memoryBudget, memoryLine, preflight } from './preflight';
import { displayText, safeJson } from '../graph/display';
import { DEFAULT_BINDING, inferGraph } from '../shapes/infer';
import { UserError } from './errors';
import { readText } from './files';
import { numberFlag } from './numbers';
import { formatSeconds, progressLine } from './progress';
import { freezeList, openParent, warmStartTable } from './finetune';
import { WarmStartError } from '../run/warm-start';
import { FreezeError } from '../train/freeze';

const USAGE =
  'wordloom train <graph.json> --data D [--tokenizer K] [--steps N] [--batch B] [--lr X] [--seed S] [--backend cpu|wasm] [--threads N] [--out DIR] [--force] [--memory SIZE] [--json] [--from RUN [--freeze IDS] [--strict]]';
const FLAGS = {
  data: 'string',
  tokenizer: 'string',
  task: 'string',
  steps: 'string',
  batch: 'string',
  lr: 'string',
  seed: 'string',
  backend: 'string',
  threads: 'string',
  out: 'string',
  warmup: 'string',
  'eval-every': 'string',
  memory: 'string',
  force: 'boolean',
  json: 'boolean',
  from: 'string',
  freeze: 'string',
  strict: 'boolean',
  'chrf-prompts': 'string',
} as const;

export const trainCommand: Command = {
  name: 'train',
  usage: USAGE,
  summary: 'Train a graph on a dataset and save the run directory.',
  run: runTrain,
};

async function runTrain(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, FLAGS, 'train');
  if (args.booleans.has('help')) {
    io.out(
      `Usage: ${USAGE}\n\nData: a bundled set (shakespeare, sentiment, pos, translation-en-fr, instructions) or a file.\nOther options: --task next-token|classify|tag|prompt-completion, --warmup N, --eval-every N, --chrf-prompts N.\n--out DIR must be new or empty unless --force (the run is saved atomically: the old folder stays whole until the new one replaces it).\n--memory SIZE (e.g. 16G) plans for that much memory instead of this machine's.\n--threads N: the threads wasm trains on (default ${defaultThreads()} here: half the cores, 2 to 4); any count gives the same numbers.\n\nFine-tuning: --from <run-dir|bundle> loads the weights of a trained run by node id where the type and shapes match, and reuses its tokenizer; --freeze <node,…|all-but-head> keeps those weights fixed; --strict makes any node that cannot load an error.\n`,
    );
    return 0;
  }
  if (args.positionals.length !== 1) throw new UserError(`wordloom train takes one graph file (usage: ${USAGE}).`);
  const s = args.strings;
  if (s.data === undefined)
    throw new UserError('wordloom train needs --data: a bundled set such as shakespeare, or a file.');
  const backend = (s.backend ?? 'wasm') as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new UserError(`--backend must be cpu or wasm, got "${s.backend}".`);
  if (s.threads !== undefined && backend !== 'wasm')
    throw new UserError(`--threads is for --backend wasm; the cpu backend runs on one thread.`);
  const threads = numberFlag(s.threads, 'threads', {
    int: true,
    min: 1,
    max: MAX_GEMM_THREADS,
    fallback: defaultThreads(),
  });
  const d = DEFAULT_TRAIN_CONFIG;
  const steps = numberFlag(s.steps, 'steps', { int: true, min: 1, max: 10_000_000, fallback: d.steps });
  const config = withTrainDefaults({
    steps,
    batchSize: numberFlag(s.batch, 'batch', { int: true, min: 1, max: 4096, fallback: d.batchSize }),
    learningRate: numberFlag(s.lr, 'lr', { min: 0, max: MAX_LEARNING_RATE, fallback: d.learningRate }),
    seed: numberFlag(s.seed, 'seed', { int: true, min: 0, max: 2 ** 32 - 1, fallback: d.seed }),
    warmupSteps: numberFlag(s.warmup, 'warmup', {
      int: true,
      min: 0,
      fallback: Math.min(d.warmupSteps, Math.floor(steps / 10)),
    }),
    evalEvery: numberFlag(s['eval-every'], 'eval-every', {
      int: true,
      min: 1,
      max: 10_000_000,
      fallback: Math.min(d.evalEvery, steps),
    }),
    ...(s['chrf-prompts'] !== undefined && {
      chrfPrompts: numberFlag(s['chrf-prompts'], 'chrf-prompts', { int: true, min: 0, max: 1000, fallback: 16 }),
    }),
  });
  if (s.from === undefined && (s.freeze !== undefined || args.booleans.has('strict')))
    throw new UserError('--freeze and --strict need --from <run-dir|bundle>: the trained run to start from.');
  const budget = memoryBudget(s.memory);
  const file = args.positionals[0];
  const parsed = parseGraphText(readText(file), file, io.registry);
  const errors = parsed.diagnostics.filter((x) => x.severity === 'error');
  if (!parsed.graph || errors.length)
    throw new UserError(firstErrors(errors.map((x) => x.message)) || `${file} is not a graph.`);
  const graph = parsed.graph;
  const { dir: out, id } = runDirOf(
    s.out ?? join('runs', `${slug(graph.name)}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`),
  );
  checkRunDirFree(out, args.booleans.has('force'));
  // Pre-flight before the data is read: the graph at the default V and C, the data by its file's size.
  const fileBytes = dataFileBytes(s.data);
  const early = inferGraph(graph, DEFAULT_BINDING, io.registry);
  const tooBig = preflight(graph.name, early.totals, config.batchSize, fileBytes, budget);
  if (tooBig) throw new UserError(tooBig);
  const usedBackend = await startNodeBackend(backend, { threads });
  const onThreads = usedBackend === 'wasm' && nodeWasmThreads() > 1 ? ` · ${nodeWasmThreads()} threads` : '';
  // A fine-tune's parent loads first, onto the backend: its tokenizer encodes the new data.
  const parent = s.from === undefined ? undefined : await openParent(s.from, s.tokenizer);
  const data = loadCliData({
    data: s.data,
    tokenizer: s.tokenizer,
    task: s.task,
    seed: config.seed,
    reuseTokenizer: parent?.tokenizer,
  });
  // Again with the dataset's V and C, which the Embedding and the head grow with.
  const bound = inferGraph(graph, data.binding, io.registry);
  const stillTooBig = preflight(graph.name, bound.totals, config.batchSize, fileBytes, budget);
  if (stillTooBig) throw new UserError(stillTooBig);
  if (!args.booleans.has('json')) io.out(`${memoryLine(bound.totals, config.batchSize, fileBytes, budget)}\n`);

  let parentOpen = parent !== undefined;
  const disposeParent = (): void => {
    if (parentOpen) parent?.model.dispose();
    parentOpen = false;
  };
  const json = args.booleans.has('json');
  const control = new TrainControl();
  const onSigint = (): void => control.stop();
  process.once('SIGINT', onSigint);
  let lastVal: number | undefined;
  let lastExamples: number | undefined;
  let failure: string | undefined;
  const emit = (e: TrainEvent): void => {
    if (e.event === 'eval') {
      lastVal = e.valLoss;
      lastExamples = e.examples;
    }
    if (e.event === 'error') failure = e.message;
    if (json) {
      if (e.event === 'step' || e.event === 'eval' || e.event === 'error') io.out(`${safeJson(e)}\n`);
      return;
    }
    if (e.event === 'start')
      io.out(
        `Training "${displayText(graph.name)}" (${e.params.toLocaleString('en')} parameters) on ${displayText(data.name)}, V=${e.vocabSize}, backend ${e.backend}${onThreads}.\n`,
      );
    if (e.event === 'step' && io.isTTY) io.out(progressLine(e, config.steps, lastVal));
    if (e.event === 'eval' && !io.isTTY)
      io.out(
        `step ${e.step}: val loss ${e.valLoss.toFixed(4)}${e.valAccuracy !== undefined ? `, accuracy ${(e.valAccuracy * 100).toFixed(1)}%` : ''}${e.chrf !== undefined ? `, chrF ${e.chrf.toFixed(1)}` : ''}${onExamples(e.examples)}\n`,
      );
  };
  try {
    const run = await trainRun({
      graph,
      data,
      config,
      backend: usedBackend,
      emit,
      control,
      id,
      checkpointEvery: config.evalEvery,
      ...(parent && { parent, freeze: freezeList(s.freeze), strict: args.booleans.has('strict') }),
      onCompiled: (r) => {
        if (!r.warmStart) return;
        disposeParent(); // its weights are copied (tf.js counts the shared tensors)
        if (json)
          io.out(
            `${JSON.stringify({ event: 'warm-start', ...r.warmStart, frozen: r.manifest.parent?.frozen ?? [] })}\n`,
          );
        else io.out(warmStartTable(r.warmStart, r.manifest.parent?.frozen ?? []));
      },
      onCheckpoint: async (_step, r) => writeRunDir(out, await runFiles(r, data)),
    });
    writeRunDir(out, await runFiles(run, data));
    run.model.dispose();
    const r = run.manifest.result!;
    if (failure) throw new UserError(failure);
    if (json)
      io.out(
        `${safeJson({ event: 'done', steps: r.steps, trainLoss: r.trainLoss, valLoss: r.valLoss, ...(r.valAccuracy !== undefined ? { valAccuracy: r.valAccuracy } : {}), ...(lastExamples !== undefined ? { valExamples: lastExamples } : {}), seconds: r.seconds, out })}\n`,
      );
    else
      io.out(
        `${io.isTTY ? '\n' : ''}Done: ${r.steps} steps in ${formatSeconds(r.seconds)}, train loss ${r.trainLoss.toFixed(4)}, val loss ${r.valLoss.toFixed(4)}${onExamples(lastExamples)}. Saved to ${displayText(out)}\n`,
      );
    return 0;
  } catch (e) {
    if (e instanceof GraphError) throw new UserError(firstErrors(e.diagnostics.map((d) => d.message)));
    if (e instanceof WarmStartError || e instanceof FreezeError) throw new UserError(e.message);
    throw e;
  } finally {
    disposeParent();
    process.off('SIGINT', onSigint);
  }
}

/** " on 768 validation examples": what the validation numbers were computed on. */
const onExamples = (n: number | undefined): string =>
  n === undefined ? '' : ` on ${n.toLocaleString('en-US')} validation example${n === 1 ? '' : 's'}`;

/** The largest --lr accepted: AdamW steps of more than 1 per weight are divergence, not training. */
const MAX_LEARNING_RATE = 1;

/** The first three errors, then a count of the rest (`wordloom check` lists them all). */
function firstErrors(messages: readonly string[]): string {
  const rest = messages.length - 3;
  return [
    ...messages.slice(0, 3),
    ...(rest > 0 ? [`… and ${rest} more errors (wordloom check lists them).`] : []),
  ].join(' ');
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'run';
