import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import { displayText } from '../graph/display';
import { runManifestSchema, RUN_VERSION, type RunManifest } from './manifest';

/** A run as named files: run.json, tokenizer.json, model.json (tf.js layers format), weights.bin. */
export type RunFiles = Record<string, Uint8Array>;

/** The files a run has; nothing else is read from a run folder or bundle, or packed into one. */
export const RUN_FILE_NAMES = ['run.json', 'tokenizer.json', 'model.json', 'weights.bin'] as const;

const MiB = 1024 * 1024;
/** A JSON file of a run (manifest, tokenizer, topology) is never this big; weights may be. */
export const MAX_RUN_JSON_BYTES = 256 * MiB;
export const MAX_RUN_FILE_BYTES = 2048 * MiB;
/** A bundle file, and everything in it once unpacked. */
export const MAX_BUNDLE_BYTES = 2048 * MiB;
export const MAX_UNPACKED_BYTES = 2560 * MiB;
/**
 * Deflate cannot pack more than about 1,032 bytes into one; real runs pack far less (weights hardly at
 * all, JSON about 10 to 1). An entry that claims more than this ratio is a zip bomb.
 */
const MAX_RATIO = 200;

export class RunFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFileError';
  }
}

/** A run's manifest, tokenizer JSON and model artifacts, parsed from its files. */
export interface LoadedRunFiles {
  manifest: RunManifest;
  tokenizer: unknown;
  artifacts: tf.io.ModelArtifacts;
}

/** Model artifacts → the standard tf.js pair model.json + weights.bin (what tf.loadLayersModel reads). */
export function artifactsToFiles(a: tf.io.ModelArtifacts): RunFiles {
  const weightData = a.weightData
    ? new Uint8Array(tf.io.concatenateArrayBuffers(flatBuffers(a.weightData)))
    : new Uint8Array();
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: 'Wordloom',
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
  };
  return { 'model.json': strToU8(JSON.stringify(modelJson)), 'weights.bin': weightData };
}

function flatBuffers(w: tf.io.WeightData): ArrayBuffer[] {
  return Array.isArray(w) ? w : [w];
}

const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0).max(2 ** 31 - 1)).max(8),
  dtype: z.enum(['float32', 'int32']),
});
const modelJsonSchema = z.looseObject({
  modelTopology: z.looseObject({}),
  weightsManifest: z.array(z.looseObject({ weights: z.array(weightSpecSchema) })).min(1),
});

/** model.json + weights.bin → tf.js artifacts, checked: the weights file holds exactly what model.json lists. */
export function filesToArtifacts(files: RunFiles, where: string): tf.io.ModelArtifacts {
  const mj = modelJsonSchema.safeParse(readJson(files, 'model.json', where));
  const weights = files['weights.bin'];
  if (!mj.success || !weights) throw new RunFileError(`${where} has no model weights (model.json + weights.bin).`);
  const weightSpecs = mj.data.weightsManifest.flatMap((m) => m.weights);
  const expected = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== weights.byteLength)
    throw new RunFileError(
      `${where}/weights.bin has ${weights.byteLength.toLocaleString('en-US')} bytes, but model.json lists ${expected.toLocaleString('en-US')}; the run is damaged.`,
    );
  const buf = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return { modelTopology: mj.data.modelTopology, weightSpecs, weightData: buf };
}

export function runToFiles(manifest: RunManifest, tokenizer: unknown, model: RunFiles): RunFiles {
  return {
    'run.json': strToU8(JSON.stringify(manifest, null, 2)),
    'tokenizer.json': strToU8(JSON.stringify(tokenizer)),
    ...model,
  };
}

/** Reads and checks a run's files; `where` names the run directory or bundle in error sentences. */
export function parseRunFiles(files: RunFiles, where: string): LoadedRunFiles {
  const raw = readJson(files, 'run.json', where);
  const parsed = runManifestSchema.safeParse(raw);
  if (isRecord(raw) && typeof raw.version === 'number' && raw.version > RUN_VERSION)
    throw new RunFileError(
      `${where} was made by a newer Wordloom (run version ${raw.version}); this app reads up to ${RUN_VERSION}.`,
    );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = displayText(issue.path.join('.') || 'file');
    throw new RunFileError(`${where}/run.json is not a Wordloom run: ${field} ${issue.message.toLowerCase()}.`);
  }
  return {
    manifest: raw as RunManifest,
    tokenizer: readJson(files, 'tokenizer.json', where),
    artifacts: filesToArtifacts(files, where),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(files: RunFiles, name: string, where: string): unknown {
  const bytes = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!bytes) throw new RunFileError(`${where} has no ${name}; is it a Wordloom run?`);
  if (bytes.byteLength > MAX_RUN_JSON_BYTES) throw new RunFileError(`${where}/${name} is too large to be a run file.`);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch {
    throw new RunFileError(`${where}/${name} is not valid JSON.`);
  }
}

const BUNDLE_MARK = 'wordloom-bundle';

/** Only a run's own files (RUN_FILE_NAMES), in a fresh object: nothing foreign travels on. */
export function ownRunFiles(files: RunFiles): RunFiles {
  const out: RunFiles = {};
  for (const name of RUN_FILE_NAMES) if (Object.hasOwn(files, name)) out[name] = files[name];
  return out;
}

/** One `.wordloom` file (a zip) holding the run's files, plus a marker entry; foreign entries are left out. */
export function packBundle(files: RunFiles): Uint8Array {
  return zipSync({ [BUNDLE_MARK]: strToU8('1'), ...ownRunFiles(files) }, { level: 6 });
}

const KNOWN_ENTRIES = new Set<string>([BUNDLE_MARK, ...RUN_FILE_NAMES]);

/**
 * A bundle's run files, unzipped within limits: entries that are paths (`../x`, `/x`, `a/b`) are
 * refused, a declared size over the caps or a ratio no real run has is refused before inflating,
 * and foreign entries are skipped. Each entry inflates into a buffer of its declared size, so a
 * lying header cannot make it grow.
 */
export function unpackBundle(bytes: Uint8Array, where: string): RunFiles {
  let problem: string | undefined;
  let total = 0;
  const filter = (f: { name: string; size: number; originalSize: number }): boolean => {
    if (problem) return false;
    const name = displayText(f.name);
    if (/[\\/]|^\.\.?$|^[A-Za-z]:/.test(f.name) || f.name === '') {
      problem = `${where} holds the path entry "${name}"; a Wordloom bundle holds only its run's files.`;
      return false;
    }
    if (!KNOWN_ENTRIES.has(f.name)) return false;
    const cap = f.name === 'weights.bin' ? MAX_RUN_FILE_BYTES : MAX_RUN_JSON_BYTES;
    total += f.originalSize;
    if (f.originalSize > cap || total > MAX_UNPACKED_BYTES)
      problem = `${where} unpacks to more than a run can hold (${name} claims ${f.originalSize.toLocaleString('en-US')} bytes).`;
    else if (f.originalSize > MiB && f.originalSize > MAX_RATIO * Math.max(1, f.size))
      problem = `${where} is a zip bomb, not a Wordloom bundle (${name} packs ${f.originalSize.toLocaleString('en-US')} bytes into ${f.size.toLocaleString('en-US')}).`;
    return problem === undefined;
  };
  let files: RunFiles;
  try {
    files = unzipSync(bytes, { filter });
  } catch {
    throw new RunFileError(problem ?? `${where} is not a Wordloom bundle (not a zip archive, or a damaged one).`);
  }
  if (problem) throw new RunFileError(problem);
  if (!Object.hasOwn(files, BUNDLE_MARK)) throw new RunFileError(`${where} is a zip archive but not a Wordloom bundle.`);
  return ownRunFiles(files);
}
