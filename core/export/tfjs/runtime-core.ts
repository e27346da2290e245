/**
 * The exported module's body (bundled by build/build-runtime.mjs into wordloom-model.js): load a
 * Wordloom tf.js export folder and predict with core's own predict code, so the JSON it returns is
 * the JSON `wordloom predict --json` prints.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeForInference } from '../../data/inference';
import { registerOwnKernels } from '../../kernels/float-kernel';
import { NORM_KERNELS } from '../../kernels/layer-norm';
import { LSTM_CELL_KERNELS } from '../../kernels/lstm-cell';
import type { Tokenizer } from '../../data/tokenizers/types';
import { generate as coreGenerate } from '../../predict/generate';
import { padRows, predict as corePredict, type Predictor } from '../../predict/predict';
import { registerCustomLayers } from '../../nodes/index';
import { parseExportConfig, type ExportConfig } from './config';
import { predictionJson, type PredictionJson } from './prediction-json';
import { fileReader, readJson, type ModelSource, type ReadFile } from './runtime-files';
import type { TokenizerReader } from './runtime-tokenizer';

/** A loaded export: its config, tf.js model and tokenizer, and what to ask it. */
export interface WordloomModel {
  config: ExportConfig;
  model: tf.LayersModel;
  tokenizer: Tokenizer;
  /** Same JSON as `wordloom predict --json` (topK defaults to 5). */
  predict(text: string, options?: { topK?: number }): Promise<PredictionJson>;
  /**
   * Continues `prompt` (next-token models): up to `tokens` tokens (default 200), sampled at `temperature` (default
   * 0.8; 0 is greedy) among the `topK` most likely (default 0: all), as the app's Generate tab does.
   */
  generate(prompt: string, options?: AskOptions): Promise<string>;
  /**
   * Answers `prompt` as the app's Ask tab does (models trained on prompt/completion data): the prompt framed as
   * training framed it (`prompt <|sep|>`), the answer until <|endoftext|> or `tokens` (default 200).
   */
  ask(prompt: string, options?: AskOptions): Promise<string>;
  /** Raw logits for `text` encoded as predict encodes it: shape (1, T, K) or (1, C), values row-major. */
  logits(text: string): Promise<{ shape: number[]; values: number[] }>;
  dispose(): void;
}

/** Sampling for generate and ask; `seed` fixes the draws (default: the clock). */
export interface AskOptions {
  tokens?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
}

async function continueText(p: Predictor, prompt: string, o: AskOptions = {}): Promise<string> {
  let out = '';
  const options = { tokens: o.tokens ?? 200, temperature: o.temperature ?? 0.8, topK: o.topK ?? 0, seed: o.seed };
  for await (const piece of coreGenerate(p, prompt, options)) out += piece;
  return out;
}

interface WeightsManifest {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;

function isWeightsManifest(x: unknown): x is WeightsManifest[] {
  return (
    Array.isArray(x) &&
    x.every((g) => isObject(g) && Array.isArray(Reflect.get(g, 'paths')) && Array.isArray(Reflect.get(g, 'weights')))
  );
}

/** model.json + its weight files → artifacts for tf.io.fromMemory. */
async function readArtifacts(read: ReadFile): Promise<tf.io.ModelArtifacts> {
  const modelJson = await readJson(read, 'model.json');
  const topology: unknown = isObject(modelJson) ? Reflect.get(modelJson, 'modelTopology') : undefined;
  const manifest: unknown = isObject(modelJson) ? Reflect.get(modelJson, 'weightsManifest') : undefined;
  if (!isObject(topology) || !isWeightsManifest(manifest))
    throw new Error('model.json is not a tf.js layers model (modelTopology + weightsManifest).');
  const buffers: ArrayBuffer[] = [];
  for (const path of manifest.flatMap((g) => g.paths)) {
    const bytes = await read(path);
    buffers.push(bytes.slice().buffer);
  }
  return {
    modelTopology: topology,
    weightSpecs: manifest.flatMap((g) => g.weights),
    weightData: tf.io.concatenateArrayBuffers(buffers),
  };
}

async function loadModel(source: ModelSource, readTokenizer: TokenizerReader): Promise<WordloomModel> {
  const read = await fileReader(source);
  const config = parseExportConfig(await readJson(read, 'config.json'));
  const tokenizer = readTokenizer(await readJson(read, 'tokenizer.json'));
  registerCustomLayers();
  registerOwnKernels([...LSTM_CELL_KERNELS, ...NORM_KERNELS]); // cpu and wasm compute as in the app
  const model = await tf.loadLayersModel(tf.io.fromMemory(await readArtifacts(read)));
  const predictor: Predictor = { ...config, model, tokenizer };
  return {
    config,
    model,
    tokenizer,
    predict: async (text, options) => predictionJson(await corePredict(predictor, text, options?.topK ?? 5)),
    generate: (prompt, options) => continueText(predictor, prompt, options),
    ask: async (prompt, options) => {
      if (!config.promptCompletion)
        throw new Error(
          `ask() needs a model trained on prompt/completion data; "${config.name}" was not: use generate().`,
        );
      return continueText(predictor, prompt, options);
    },
    logits: async (text) => {
      const input = encodeForInference(predictor, text, config.seqLen);
      const out = tf.tidy(() => model.predict(padRows([input.tokens], config.seqLen)) as tf.Tensor); // (1, T, K) or (1, C)
      const values = Array.from(await out.data());
      out.dispose();
      return { shape: out.shape, values };
    },
    dispose: () => model.dispose(),
  };
}

/** The module's API: `load(dirOrUrl)` returns the model and makes it the one `predict(text)` uses. */
export function createRuntime(readTokenizer: TokenizerReader) {
  let current: WordloomModel | undefined;
  return {
    load: async (source: ModelSource): Promise<WordloomModel> => {
      const loaded = await loadModel(source, readTokenizer);
      current?.dispose();
      current = loaded;
      return loaded;
    },
    predict: async (text: string, options?: { topK?: number }): Promise<PredictionJson> => {
      if (!current) throw new Error('Call load(dirOrUrl) before predict(text).');
      return current.predict(text, options);
    },
    generate: async (prompt: string, options?: AskOptions): Promise<string> => {
      if (!current) throw new Error('Call load(dirOrUrl) before generate(prompt).');
      return current.generate(prompt, options);
    },
    ask: async (prompt: string, options?: AskOptions): Promise<string> => {
      if (!current) throw new Error('Call load(dirOrUrl) before ask(prompt).');
      return current.ask(prompt, options);
    },
  };
}
