/**
 * A race: several graphs trained one after another on the same data, tokenizer, seed and budget, each kept as
 * a project run (record + weights, like the Train tab's runs) and shown in the compare view as it trains.
 */
import type { Graph } from '../../core/graph/model';
import type { Task } from '../../core/nodes/define';
import { inferGraph } from '../../core/shapes/infer';
import { DEFAULT_TRAIN_CONFIG, withTrainDefaults, type TrainConfig } from '../../core/train/protocol';
import type { DataChoice } from '../../core/worker/protocol';
import { newRunId, recordFromManifest, runName } from '../lib/runRecord';
import { findTemplate } from '../lib/templates';
import { datasetName, taskOfDataset, tokenizerName } from '../lib/trainSetup';
import type { AppStore, AppStoreApi } from '../store';
import { CURRENT_GRAPH, type RaceBudget, type RaceEntry } from '../store/compareSlice';
import { dataChoiceOf } from '../store/trainingSlice';
import type { CompareClient } from './compareClient';
import { weightsRefFor, type RunWeights } from './runWeights';

/** A time budget trains up to this many steps (the learning-rate schedule's length) and stops when time is up. */
export const TIMED_MAX_STEPS = 100_000;

export interface RacePlan {
  entries: Pick<RaceEntry, 'key' | 'label' | 'graph'>[];
  data: DataChoice;
  tokenizer: string;
  config: TrainConfig;
  budget: RaceBudget;
}

/** The graph a race entry trains: a template, or the one on screen. */
export function raceGraph(s: Pick<AppStore, 'graph'>, key: string): Graph | undefined {
  return key === CURRENT_GRAPH ? s.graph : findTemplate(key)?.graph;
}

/** What a graph's head trains (undefined when the graph has no valid head). */
const taskOf = (s: Pick<AppStore, 'binding'>, graph: Graph): Task | undefined => inferGraph(graph, s.binding).task;

/** The race the form describes, or one sentence saying why it cannot run. */
export function planRace(s: AppStore): RacePlan | { error: string } {
  const setup = s.raceSetup;
  const entries = setup.graphs.flatMap((key) => {
    const graph = raceGraph(s, key);
    return graph ? [{ key, label: key === CURRENT_GRAPH ? `${graph.name} (on screen)` : graph.name, graph }] : [];
  });
  if (entries.length < 2) return { error: 'Pick at least two graphs to race.' };
  const training = { ...s.training, ...(setup.dataset ? { dataset: setup.dataset } : {}) };
  const dataset = datasetName(training, taskOf(s, entries[0].graph));
  const task = taskOfDataset(dataset) ?? (s.userData?.name === dataset ? taskOf(s, entries[0].graph) : undefined);
  for (const e of entries) {
    const analysis = inferGraph(e.graph, s.binding);
    const problem = analysis.diagnostics.find((d) => d.severity === 'error');
    if (problem) return { error: `"${e.label}" has a problem: ${problem.message}` };
    if (task && analysis.task !== task)
      return { error: `"${e.label}" is a ${analysis.task ?? 'headless'} model; ${dataset} trains ${task} models.` };
  }
  const t = s.training;
  const d = DEFAULT_TRAIN_CONFIG;
  const budget = setup.budget;
  const steps = budget.kind === 'steps' ? budget.steps : TIMED_MAX_STEPS;
  const config = withTrainDefaults({
    steps,
    batchSize: setup.batchSize ?? s.batchSize,
    learningRate: t.learningRate ?? d.learningRate,
    // A short race still leaves warmup and decays: warmup is at most a fifth of the steps.
    warmupSteps: Math.min(t.warmupSteps ?? d.warmupSteps, Math.floor(steps / 5)),
    seed: setup.seed ?? t.seed ?? d.seed,
    // About five validation points per curve for a step budget; the Train tab's rhythm for a time budget.
    evalEvery: budget.kind === 'steps' ? Math.max(1, Math.ceil(steps / 5)) : (t.evalEvery ?? d.evalEvery),
  });
  const data = dataChoiceOf(training, s.userData, task);
  return { entries, data, tokenizer: setup.tokenizer ?? tokenizerName(training, data.name), config, budget };
}

export interface Racer {
  /** Starts the race the form describes; returns the sentence that says why it cannot, else null. */
  start(): string | null;
  /** Stops the run in progress; the ones after it do not start. */
  stop(): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createRacer(store: AppStoreApi, client: CompareClient, weights: RunWeights): Racer {
  let current: string | null = null;

  /** Saves a finished run's weights and adds its record to the project, as the Train tab's runs are kept. */
  const keep = async (runId: string): Promise<void> => {
    const { files, manifest } = await client.save(runId);
    const s = store.getState();
    let weightsRef: string | undefined = weightsRefFor(s.fileHandle?.name ?? s.graph.name, runId);
    try {
      await weights.put(weightsRef, files);
    } catch (e) {
      weightsRef = undefined;
      s.notify('error', `"${manifest.name}" is kept without its weights: ${message(e)}`);
    }
    const probe = s.raceRuns[runId]?.probe;
    store.getState().recordRun(recordFromManifest(manifest, { weightsRef, probe }));
    store.getState().raceRunKept(runId);
  };

  const run = async (plan: RacePlan): Promise<void> => {
    for (const [i, entry] of plan.entries.entries()) {
      if (store.getState().race?.isStopping) {
        store.getState().raceEntryEnded(i, 'stopped');
        continue;
      }
      const now = new Date();
      const id = newRunId(now);
      const name = runName(entry.graph.name, plan.data.name, now);
      store.getState().raceEntryStarted(i, { id, name, totalSteps: plan.config.steps });
      current = id;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = plan.budget;
      const onStarted = (): void => {
        if (budget.kind === 'minutes') timer = setTimeout(() => client.stop(id), budget.minutes * 60_000);
      };
      try {
        await client.train(
          { runId: id, name, graph: entry.graph, data: plan.data, tokenizer: plan.tokenizer, config: plan.config },
          onStarted,
        );
        clearTimeout(timer);
        const stopped = store.getState().raceRuns[id]?.status === 'stopped';
        await keep(id);
        store.getState().raceEntryEnded(i, stopped && budget.kind === 'steps' ? 'stopped' : 'done');
      } catch (e) {
        clearTimeout(timer);
        store.getState().raceEntryEnded(i, 'error', message(e));
      }
    }
    current = null;
    store.getState().endRace();
  };

  return {
    start() {
      const s = store.getState();
      if (s.race?.isRunning) return 'A race is already running.';
      const plan = planRace(s);
      if ('error' in plan) return plan.error;
      s.beginRace(plan.entries, plan.budget);
      void run(plan);
      return null;
    },
    stop() {
      store.getState().requestRaceStop();
      if (current) client.stop(current);
    },
  };
}
