import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { runManifestSchema, RUN_VERSION, type RunManifest } from './manifest';

/** A run as named files: run.json, tokenizer.json, model.json (tf.js layers format), weights.bin. */
export type RunFiles = Record<string, Uint8Array>;

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

export function filesToArtifacts(files: RunFiles, where: string): tf.io.ModelArtifacts {
  const mj = readJson(files, 'model.json', where) as {
    modelTopology?: object;
    weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weights = files['weights.bin'];
  if (!mj.modelTopology || !mj.weightsManifest || !weights)
    throw new RunFileError(`${where} has no model weights (model.json + weights.bin).`);
  const buf = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return {
    modelTopology: mj.modelTopology,
    weightSpecs: mj.weightsManifest.flatMap((m) => m.weights),
    weightData: buf,
  };
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
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RunFileError(
      `${where}/run.json is not a Wordloom run: ${issue.path.join('.') || 'file'} ${issue.message.toLowerCase()}.`,
    );
  }
  if (parsed.data.version > RUN_VERSION)
    throw new RunFileError(
      `${where} was made by a newer Wordloom (run version ${parsed.data.version}); this app reads up to ${RUN_VERSION}.`,
    );
  return {
    manifest: raw as RunManifest,
    tokenizer: readJson(files, 'tokenizer.json', where),
    artifacts: filesToArtifacts(files, where),
  };
}

function readJson(files: RunFiles, name: string, where: string): unknown {
  const bytes = files[name];
  if (!bytes) throw new RunFileError(`${where} has no ${name}; is it a Wordloom run?`);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch {
    throw new RunFileError(`${where}/${name} is not valid JSON.`);
  }
}

const BUNDLE_MARK = 'wordloom-bundle';

/** One `.wordloom` file (a zip) holding every file of a run, plus a marker entry. */
export function packBundle(files: RunFiles): Uint8Array {
  return zipSync({ [BUNDLE_MARK]: strToU8('1'), ...files }, { level: 6 });
}

export function unpackBundle(bytes: Uint8Array, where: string): RunFiles {
  let files: RunFiles;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new RunFileError(`${where} is not a Wordloom bundle (not a zip archive).`);
  }
  if (!files[BUNDLE_MARK]) throw new RunFileError(`${where} is a zip archive but not a Wordloom bundle.`);
  const { [BUNDLE_MARK]: _mark, ...rest } = files;
  return rest;
}
