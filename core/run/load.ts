import type * as tf from '@tensorflow/tfjs';
import { inspectionModel, loadModelArtifacts } from '../compile/artifacts';
import { tokenizerFromJSON } from '../data/tokenizers/index';
import type { Tokenizer } from '../data/tokenizers/types';
import type { Predictor } from '../predict/predict';
import { checkManifest, checkModel } from './check';
import { parseRunFiles, RunFileError, type RunFiles } from './files';
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

/**
 * Rebuilds a run from its files; `where` names the directory or bundle in error sentences. The
 * files are cross-checked (core/run/check.ts) and any tf.js failure to load them is reported as
 * one sentence naming the run, since tf.js's own messages name no file.
 */
export async function loadRun(files: RunFiles, where: string): Promise<LoadedRun> {
  const { manifest, tokenizer: tokJson, artifacts } = parseRunFiles(files, where);
  const tokenizer = tokenizerFromJSON(tokJson, `${where}/tokenizer.json`);
  checkManifest(manifest, tokenizer, where);
  let model: tf.LayersModel;
  try {
    model = await loadModelArtifacts(artifacts);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/\.$/, '');
    throw new RunFileError(`${where}/model.json and weights.bin do not load as a model (${why}).`);
  }
  try {
    checkModel(manifest, model, where);
    return {
      manifest,
      tokenizer,
      model,
      predictor: predictorOf(manifest, tokenizer, model),
      inspection: manifest.attention.length ? inspectionModel(model, manifest.attention) : undefined,
    };
  } catch (err) {
    model.dispose();
    if (err instanceof RunFileError) throw err;
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/\.$/, '');
    throw new RunFileError(`${where}/run.json names attention layers the model does not have (${why}).`);
  }
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
