/**
 * Cross-checks of a run's files (issue 12): run.json is read by the exporters and the predictor, the
 * weights by tf.js, so files that disagree (an edited task, a manifest from another run) must be
 * refused in one sentence naming the run, not turned into a PyTorch model whose shapes do not match
 * its weights or a prediction of `undefined (NaN%)`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Tokenizer } from '../data/tokenizers/types';
import { parseGraph } from '../graph/io';
import { inferGraph } from '../shapes/infer';
import { RunFileError } from './files';
import type { RunManifest } from './manifest';

/** The manifest against its own graph and tokenizer. Throws RunFileError. */
export function checkManifest(m: RunManifest, tokenizer: Tokenizer, where: string): void {
  const bad = (what: string): never => {
    throw new RunFileError(`${where}/run.json ${what}; the run is damaged or was edited.`);
  };
  const parsed = parseGraph(m.graph, { fileName: `${where}/run.json graph` });
  const graphError = parsed.diagnostics.find((d) => d.severity === 'error');
  if (!parsed.graph || graphError) bad(`holds a graph that does not load (${graphError?.message ?? 'no graph'})`);
  const analysis = inferGraph(parsed.graph!, m.binding);
  const inferError = analysis.diagnostics.find((d) => d.severity === 'error');
  if (inferError) bad(`holds a graph with an error at V=${m.binding.vocabSize}, C=${m.binding.numClasses} (${inferError.message})`);
  if (analysis.task !== m.data.task) bad(`says the task is ${m.data.task}, but its graph's head does ${analysis.task ?? 'nothing'}`);
  if (analysis.seqLen !== m.seqLen) bad(`says seqLen is ${m.seqLen}, but its graph's TokenInput has T=${analysis.seqLen ?? '?'}`);
  const wantsLabels = m.data.task !== 'next-token';
  if (wantsLabels && (m.labels.length !== m.binding.numClasses || m.labels.length < 2))
    bad(`has ${m.labels.length} labels for ${m.binding.numClasses} classes`);
  if (tokenizer.vocabSize !== m.binding.vocabSize)
    bad(`says V=${m.binding.vocabSize}, but tokenizer.json has ${tokenizer.vocabSize} tokens`);
  const params = analysis.totals.params;
  if (params !== m.totals.params) bad(`says the model has ${m.totals.params} parameters, but its graph has ${params}`);
}

/** The loaded model against the manifest: the same input window, output width and parameter count. */
export function checkModel(m: RunManifest, model: tf.LayersModel, where: string): void {
  const bad = (what: string): never => {
    throw new RunFileError(`${where}: ${what}; the run is damaged or was edited.`);
  };
  const input = model.inputs[0]?.shape;
  if (!input || input.length !== 2 || input[1] !== m.seqLen)
    bad(`the model reads windows of ${String(input?.[1])} tokens, but run.json says seqLen ${m.seqLen}`);
  const out = model.outputs[0]?.shape;
  const width = out?.[out.length - 1];
  const want = m.data.task === 'next-token' ? m.binding.vocabSize : m.binding.numClasses;
  if (width !== want) bad(`the model gives ${String(width)} scores per position, but run.json needs ${want}`);
  const params = model.countParams();
  if (params !== m.totals.params) bad(`weights.bin holds ${params} parameters, but run.json's graph has ${m.totals.params}`);
}
