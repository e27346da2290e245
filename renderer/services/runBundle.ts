/**
 * Open run…: a `.wordloom` bundle (a zip of a run's files, from Export or `wordloom export --format bundle`)
 * joins the project as a run, its weights kept like a trained run's, ready to compare, predict and export.
 */
import { parseRunFiles, unpackBundle } from '../../core/run/files';
import { recordFromManifest } from '../lib/runRecord';
import type { AppStoreApi } from '../store';
import type { CompareClient } from './compareClient';
import { weightsRefFor, type RunWeights } from './runWeights';

/** Adds the bundle's run to the project and to the comparison; returns the sentence to show. */
export async function openRunBundle(
  deps: { store: AppStoreApi; client: CompareClient; weights: RunWeights },
  fileName: string,
  bytes: Uint8Array,
): Promise<string> {
  const files = unpackBundle(bytes, fileName);
  const { manifest } = parseRunFiles(files, fileName);
  const s = deps.store.getState();
  const select = (): void => {
    if (!deps.store.getState().compareIds.includes(manifest.id)) deps.store.getState().toggleCompareRun(manifest.id);
  };
  if (s.runs.some((r) => r.id === manifest.id)) {
    select();
    return `"${manifest.name}" is already in this project.`;
  }
  await deps.client.open(manifest.id, files);
  const ref = weightsRefFor(s.fileHandle?.name ?? s.graph.name, manifest.id);
  let weightsRef: string | undefined = ref;
  try {
    await deps.weights.put(ref, files);
  } catch {
    weightsRef = undefined; // still usable this session: the compare worker holds the model
  }
  deps.store.getState().recordRun(recordFromManifest(manifest, { weightsRef }));
  select();
  return `Opened "${manifest.name}" (${manifest.graph.name}, ${manifest.metrics.steps.length} steps).`;
}
