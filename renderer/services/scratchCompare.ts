/**
 * "Compare with scratch" (issue 11): next to a fine-tuned run, train the same graph from random weights on the same
 * data for the same steps (or pick such a run if the project has one) and open Compare with both.
 */
import type { Graph } from '../../core/graph/model';
import type { ProjectRun } from '../../core/project/project';
import { parentOfRecord } from '../lib/runRecord';
import type { AppStoreApi } from '../store';
import type { TrainingClient } from './trainingClient';

/** The graph's structure (types, params, wiring by id), not where blocks sit on the canvas. */
const structure = (g: Graph): string =>
  JSON.stringify([
    g.nodes.map((n) => [n.id, n.type, n.params]),
    g.edges.map((e) => [e.from.node, e.from.port, e.to.node, e.to.port]),
  ]);

/** A from-scratch run of the project that matches the fine-tuned `child`: same graph, data, tokenizer and steps. */
export function findScratchRun(runs: readonly ProjectRun[], child: ProjectRun): ProjectRun | undefined {
  const shape = structure(child.graph);
  return [...runs]
    .reverse()
    .find(
      (r) =>
        r.id !== child.id &&
        !parentOfRecord(r) &&
        r.training.dataset === child.training.dataset &&
        r.training.steps === child.training.steps &&
        r.training.tokenizer === child.training.tokenizer &&
        structure(r.graph) === shape,
    );
}

const openBoth = (store: AppStoreApi, childId: string, scratchId: string): void =>
  store.setState({ compareIds: [scratchId, childId], isCompareOpen: true });

/** Opens Compare at once if a matching run exists; otherwise starts one and says so. */
export function compareWithScratch(store: AppStoreApi, client: TrainingClient, childId: string): void {
  const s = store.getState();
  const child = s.runs.find((r) => r.id === childId);
  if (!child) return s.notify('error', 'That run is no longer in the project, so there is nothing to compare.');
  const found = findScratchRun(s.runs, child);
  if (found) return openBoth(store, childId, found.id);
  if (structure(s.graph) !== structure(child.graph)) s.openGraph(child.graph);
  const t = child.training;
  s.updateTraining({
    dataset: t.dataset,
    tokenizer: t.tokenizer,
    steps: t.steps,
    learningRate: t.learningRate,
    warmupSteps: t.warmupSteps,
    seed: t.seed,
    evalEvery: t.evalEvery,
  });
  if (t.batchSize !== undefined) s.setBatchSize(t.batchSize);
  client.start();
  const scratchId = store.getState().run?.id;
  if (!scratchId || scratchId === childId) return;
  store.getState().setScratchCompare({ childId, scratchId });
  store.getState().notify('info', `Training ${child.graph.name} from scratch on ${t.dataset ?? 'the same data'} for ${t.steps ?? '?'} steps; Compare opens when it is done.`);
}

/** Opens Compare once the from-scratch run is in the project; returns the unsubscribe. */
export function watchScratchCompare(store: AppStoreApi): () => void {
  return store.subscribe((s) => {
    const pending = s.scratchCompare;
    if (!pending?.scratchId) return;
    if (s.run?.id === pending.scratchId && s.run.status === 'error') return s.setScratchCompare(null);
    if (!s.runs.some((r) => r.id === pending.scratchId)) return;
    s.setScratchCompare(null);
    openBoth(store, pending.childId, pending.scratchId);
  });
}
