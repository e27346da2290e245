import type * as tf from '@tensorflow/tfjs';
import { inspectionModel, loadModelArtifacts } from '../compile/artifacts';
import { tokenizerFromJSON } from '../data/tokenizers/index';
import type { Tokenizer } from '../data/tokenizers/types';
import type { Predictor } from '../infer/predict';
import { parseRunFiles, type RunFiles } from './files';
import type { RunManifest } from './manifest';

/** A reopened run, ready to predict, generate, inspect attention and export. */
export interface LoadedRun {
  manifest: RunManifest;
  tokenizer: Tokenizer;
  model: tf.LayersModel;
  predictor: Predictor;
  /** Outputs [logits, ...attention probs]; absent when the graph has no attention node. */
  inspection?: tf.LayersModel;
}

/** Rebuilds a run from its files; `where` names the directory or bundle in error sentences. */
export async function loadRun(files: RunFiles, where: string): Promise<LoadedRun> {
  const { manifest, tokenizer: tokJson, artifacts } = parseRunFiles(files, where);
  const tokenizer = tokenizerFromJSON(tokJson, `${where}/tokenizer.json`);
  const model = await loadModelArtifacts(artifacts);
  return {
    manifest,
    tokenizer,
    model,
    predictor: predictorOf(manifest, tokenizer, model),
    inspection: manifest.attention.length ? inspectionModel(model, manifest.attention) : undefined,
  };
}

export function predictorOf(manifest: RunManifest, tokenizer: Tokenizer, model: tf.LayersModel): Predictor {
  return {
    model,
    tokenizer,
    task: manifest.data.task,
    promptCompletion: manifest.data.promptCompletion,
    labels: manifest.labels,
    seqLen: manifest.seqLen,
  };
}
