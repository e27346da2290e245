import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../nodes/index';
import type { AttentionInfo } from './compile';

/**
 * A model sharing `model`'s layers (and weights) whose outputs are [logits, ...attention probs],
 * one (B, heads, T, T) tensor per entry of `attention`, in order. Finds layers by name, so it also
 * works on a model loaded back from disk.
 */
export function inspectionModel(model: tf.LayersModel, attention: readonly AttentionInfo[]): tf.LayersModel {
  const probs = attention.map((a) => {
    const out = model.getLayer(a.layerName).output; // [y, probs] for attention layers
    const last = Array.isArray(out) ? out[out.length - 1] : out;
    if (!last) throw new Error(`inspectionModel: layer "${a.layerName}" has no output`);
    return last;
  });
  return tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...probs] });
}

/** The model's topology and weights as plain data (no files): what a run directory or a project stores. */
export async function saveModelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  const box: { artifacts?: tf.io.ModelArtifacts } = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      box.artifacts = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!box.artifacts) throw new Error('saveModelArtifacts: tf.js saved nothing');
  return box.artifacts;
}

/** Rebuilds a model from `saveModelArtifacts` output; registers our custom layers (TiedEmbedding included) first. */
export async function loadModelArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  registerCustomLayers();
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
