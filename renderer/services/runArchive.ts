/**
 * Keeps runs with the project: when a run ends its weights are saved (worker 'save' → RunWeights) and its
 * record (manifest curves, settings, last probe) joins the project's runs; when a project is opened, its
 * latest run's charts come back at once and, once its weights are found and opened, its predictions too.
 */
import { recordFromManifest } from '../lib/runRecord';
import type { AppStoreApi } from '../store';
import { keepRunsBeside, keptRunsMessage, type RunFolder } from './runFolder';
import type { RunWeights } from './runWeights';
import { weightsRefFor } from './runWeights';
import type { TrainingClient } from './trainingClient';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Wires the archive; returns the function that unwires it. With a `folder` (the desktop), each saved project
 * also gets its runs' files in a folder beside it, and reopening reads them from there first.
 */
export function startRunArchive(
  store: AppStoreApi,
  client: TrainingClient,
  weights: RunWeights,
  folder?: RunFolder,
): () => void {
  /** `path\nrunId` pairs already written next to a project this session. */
  const written = new Set<string>();
  const keep = async (runId: string): Promise<void> => {
    const { files, manifest } = await client.save(runId);
    const s = store.getState();
    const probe = s.run?.id === runId ? s.run.probe : undefined;
    const ref = weightsRefFor(s.fileHandle?.name ?? s.graph.name, runId);
    let weightsRef: string | undefined = ref;
    try {
      await weights.put(ref, files);
    } catch (e) {
      weightsRef = undefined;
      s.notify('error', `The run's curves are kept, but its weights could not be stored: ${message(e)}`);
    }
    store.getState().recordRun(recordFromManifest(manifest, { weightsRef, probe }));
  };

  const reopen = async (): Promise<void> => {
    const s = store.getState();
    if (s.run && (s.run.status === 'training' || s.run.status === 'paused' || s.run.status === 'preparing'))
      client.stop();
    const latest = s.runs[s.runs.length - 1];
    s.showRunRecord(latest ?? null);
    s.setPrediction(null);
    s.setAttention([]);
    if (!latest) return;
    s.showDockTab('train'); // the restored curves are what the user reopened the project for
    const binding = latest.binding;
    if (typeof binding === 'object' && binding !== null && 'vocabSize' in binding && 'numClasses' in binding) {
      const { vocabSize, numClasses } = binding;
      if (typeof vocabSize === 'number' && typeof numClasses === 'number') s.setBinding({ vocabSize, numClasses });
    }
    const path = s.fileHandle?.path;
    const beside = folder && path ? await folder.load(path, latest.id) : undefined;
    if (beside && path) written.add(`${path}\n${latest.id}`);
    const files = beside ?? (latest.weightsRef ? await weights.get(latest.weightsRef) : undefined);
    if (!files) {
      s.notify(
        'info',
        `The weights of "${latest.name}" are not on this computer; its curves are shown, its predictions are not.`,
      );
      return;
    }
    await client.open(latest.id, files);
    const text = store.getState().predictText;
    if (text.trim()) client.predict(text);
  };

  /** After a save on the desktop: copies runs not yet beside this project file into its run folder, every one. */
  const keepBeside = async (path: string): Promise<void> => {
    if (!folder) return;
    const pending = store
      .getState()
      .runs.flatMap(({ id, name, weightsRef: ref }) =>
        ref && !written.has(`${path}\n${id}`) ? [{ id, name: name || id, files: () => weights.get(ref) }] : [],
      );
    const kept = await keepRunsBeside(folder, path, pending);
    for (const id of kept.saved) written.add(`${path}\n${id}`);
    const problem = keptRunsMessage(kept, store.getState().fileHandle?.name ?? path);
    if (problem) store.getState().notify('error', problem);
  };

  /** The run picker chose an older run: open its weights, then ask it the text on screen. */
  const inspect = async (id: string): Promise<void> => {
    const s = store.getState();
    if (id === s.run?.id || s.loadedRunIds.includes(id)) return;
    const record = s.runs.find((r) => r.id === id);
    if (!record) return;
    const path = s.fileHandle?.path;
    const files =
      (folder && path ? await folder.load(path, id) : undefined) ??
      (record.weightsRef ? await weights.get(record.weightsRef) : undefined);
    if (!files) {
      s.notify('info', `The weights of "${record.name}" are not on this computer; its last probe is shown, nothing more.`);
      return;
    }
    await client.open(id, files);
    const now = store.getState();
    if (now.inspectRunId !== id) return;
    if (now.predictText.trim()) {
      client.predict(now.predictText);
      if (now.dockTab === 'attention') client.attention(now.predictText);
    }
  };

  const offEnded = client.onRunEnded((runId) => {
    keep(runId).catch((e: unknown) => store.getState().notify('error', `The run could not be saved: ${message(e)}`));
  });
  // Opening a document (project, template, blank) replaces the training setup and the runs in one update;
  // recording a run changes only the runs, editing the setup only the setup.
  const offStore = store.subscribe((s, prev) => {
    if (s.inspectRunId !== prev.inspectRunId && s.inspectRunId !== null)
      inspect(s.inspectRunId).catch((e: unknown) =>
        store.getState().notify('error', `The run could not be opened: ${message(e)}`),
      );
    const path = s.fileHandle?.path;
    if (path && s.fileHandle !== prev.fileHandle && s.runs === prev.runs && !s.isDirty)
      keepBeside(path).catch((e: unknown) =>
        s.notify('error', `The runs could not be written next to the project: ${message(e)}`),
      );
    if (s.runs === prev.runs || s.training === prev.training) return;
    reopen().catch((e: unknown) =>
      store.getState().notify('error', `The saved run could not be opened: ${message(e)}`),
    );
  });
  return () => {
    offEnded();
    offStore();
  };
}
