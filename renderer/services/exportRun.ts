/**
 * Export… from the app (docs/cli.md `export`, and the compare view): a kept run as a tf.js folder, a PyTorch
 * folder or a `.wordloom` bundle (made in the compare worker, where the model is), or its graph as SVG or PNG
 * and its curves as CSV (made here). The desktop writes a folder the user picks; the browser downloads one
 * file, or one zip for a multi-file format.
 */
import { strToU8, zipSync } from 'fflate';
import { graphSvg } from '../../core/export/graph-svg';
import { metricsCsv } from '../../core/export/metrics-csv';
import type { Binding } from '../../core/nodes/define';
import type { ProjectRun } from '../../core/project/project';
import { inferGraph } from '../../core/shapes/infer';
import type { ExportFormat } from '../../core/worker/protocol';
import type { AppStoreApi } from '../store';
import { liveRunFromRecord } from '../store/runSlice';
import type { CompareClient } from './compareClient';
import type { ExportFile } from '../../electron/api';
import type { Platform } from './platform';
import type { RunWeights } from './runWeights';

export type ExportChoice = ExportFormat | 'svg' | 'png' | 'csv';

export interface ExportOption {
  value: ExportChoice;
  label: string;
  /** What the user gets, in a few words. */
  detail: string;
  /** Made from the trained model (so the run's weights must be on this computer). */
  needsWeights: boolean;
}

export const EXPORT_OPTIONS: readonly ExportOption[] = [
  {
    value: 'tfjs',
    label: 'TensorFlow.js',
    detail: 'model.json, weights.bin, tokenizer, a predict() module',
    needsWeights: true,
  },
  {
    value: 'pytorch',
    label: 'PyTorch',
    detail: 'model.py, weights.safetensors, tokenizer, train.py',
    needsWeights: true,
  },
  {
    value: 'bundle',
    label: 'Wordloom bundle',
    detail: 'one .wordloom file that opens in Wordloom and the CLI',
    needsWeights: true,
  },
  { value: 'svg', label: 'Graph as SVG', detail: 'the architecture, with shapes', needsWeights: false },
  { value: 'png', label: 'Graph as PNG', detail: 'the same picture as an image', needsWeights: false },
  {
    value: 'csv',
    label: 'Metrics as CSV',
    detail: 'loss, learning rate, speed and validation per step',
    needsWeights: false,
  },
];

export interface ExportDeps {
  platform: Pick<Platform, 'kind' | 'exportFiles'>;
  store: AppStoreApi;
  client: CompareClient;
  weights: RunWeights;
}

/** A name safe for files: lower-case letters, digits and dashes (as the CLI's export names its folders). */
export const fileStem = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64) || 'run';

/** Makes sure the compare worker holds a kept run's model, opening its weights; throws one sentence when it cannot. */
export async function ensureHeld(deps: Pick<ExportDeps, 'client' | 'weights'>, record: ProjectRun): Promise<void> {
  if (deps.client.holds(record.id)) return;
  const files = record.weightsRef ? await deps.weights.get(record.weightsRef) : undefined;
  if (!files)
    throw new Error(`The weights of "${record.name}" are not on this computer; train it again to use its model.`);
  await deps.client.open(record.id, files);
}

const isBinding = (v: unknown): v is Binding =>
  typeof v === 'object' &&
  v !== null &&
  'vocabSize' in v &&
  typeof v.vocabSize === 'number' &&
  'numClasses' in v &&
  typeof v.numClasses === 'number';

/** The run's graph as SVG, with each node's output shape for the V and C it trained with. */
export function runGraphSvg(record: ProjectRun): string {
  return graphSvg(record.graph, isBinding(record.binding) ? inferGraph(record.graph, record.binding) : undefined);
}

/** Rasterises an SVG with an <img> and a <canvas> (core has no canvas), at `scale` × its size. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw on a canvas, so the PNG could not be made.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The PNG could not be encoded.');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The files of one export of a kept run, and the folder they belong in. */
export async function exportFilesOf(
  deps: Pick<ExportDeps, 'client' | 'weights'>,
  record: ProjectRun,
  choice: ExportChoice,
): Promise<{ folderName: string; files: ExportFile[] }> {
  const stem = fileStem(record.name);
  const folderName = `${stem}-${choice}`;
  switch (choice) {
    case 'svg':
      return { folderName, files: [{ name: `${stem}.svg`, data: runGraphSvg(record) }] };
    case 'png':
      return { folderName, files: [{ name: `${stem}.png`, data: await svgToPng(runGraphSvg(record)) }] };
    case 'csv': {
      const { steps, evals } = liveRunFromRecord(record);
      return { folderName, files: [{ name: `${stem}-metrics.csv`, data: metricsCsv({ metrics: { steps, evals } }) }] };
    }
    default: {
      await ensureHeld(deps, record);
      const out = await deps.client.exportRun(record.id, choice);
      return { folderName, files: Object.entries(out).map(([name, data]) => ({ name, data })) };
    }
  }
}

/** One zip holding `files` inside `folderName/`, for browsers, which download files but cannot make folders. */
export function zipFolder(folderName: string, files: readonly ExportFile[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`${folderName}/${f.name}`] = typeof f.data === 'string' ? strToU8(f.data) : f.data;
  return zipSync(entries, { level: 6 });
}

/** Exports run `runId` as `choice`; returns the sentence to show (null when the user cancelled). */
export async function exportRun(deps: ExportDeps, runId: string, choice: ExportChoice): Promise<string | null> {
  const record = deps.store.getState().runs.find((r) => r.id === runId);
  if (!record) throw new Error('That run is no longer in the project.');
  const { folderName, files } = await exportFilesOf(deps, record, choice);
  if (deps.platform.kind === 'browser') {
    const one = files.length === 1 ? files[0] : { name: `${folderName}.zip`, data: zipFolder(folderName, files) };
    const r = await deps.platform.exportFiles({ files: [one], folderName });
    if (!r.ok) throw new Error(r.error.message);
    return `Downloaded ${one.name}.`;
  }
  let r = await deps.platform.exportFiles({ files, folderName });
  if (!r.ok && r.error.code === 'exists' && window.confirm(`${r.error.message} Replace the files?`))
    r = await deps.platform.exportFiles({ files, folderName, overwrite: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value ? `Exported ${files.length} file${files.length === 1 ? '' : 's'} to ${r.value.dir}.` : null;
}
