import type { Task } from '../../nodes/define';
import type { RunManifest } from '../../run/manifest';

/** config.json of a tf.js export: what the runtime needs besides the model and the tokenizer. */
export interface ExportConfig {
  format: 'wordloom-tfjs';
  version: 1;
  name: string;
  task: Task;
  /** Class or tag names by id (empty for next-token models). */
  labels: string[];
  seqLen: number;
  promptCompletion: boolean;
  /** Tokenizer spec (`char`, `word:N`, `bpe:N`, `gpt2`); its vocabulary is tokenizer.json. */
  tokenizer: string;
  vocabSize: number;
}

export function exportConfig(manifest: RunManifest): ExportConfig {
  return {
    format: 'wordloom-tfjs',
    version: 1,
    name: manifest.name,
    task: manifest.data.task,
    labels: manifest.labels,
    seqLen: manifest.seqLen,
    promptCompletion: manifest.data.promptCompletion,
    tokenizer: manifest.tokenizer,
    vocabSize: manifest.binding.vocabSize,
  };
}

const TASKS: readonly Task[] = ['next-token', 'classify', 'tag'];
const isTask = (x: unknown): x is Task => TASKS.some((t) => t === x);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** Checks config.json without zod (the exported module depends on tf.js alone); throws one sentence. */
export function parseExportConfig(json: unknown): ExportConfig {
  const get = (key: string): unknown =>
    typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined;
  const [task, labels, seqLen, name, tokenizer, vocabSize, promptCompletion] = [
    get('task'),
    get('labels'),
    get('seqLen'),
    get('name'),
    get('tokenizer'),
    get('vocabSize'),
    get('promptCompletion'),
  ];
  if (get('format') !== 'wordloom-tfjs' || get('version') !== 1)
    throw new Error('config.json is not a Wordloom tf.js export (format wordloom-tfjs, version 1).');
  if (!isTask(task)) throw new Error(`config.json: task must be next-token, classify or tag.`);
  if (!isStrings(labels)) throw new Error('config.json: labels must be a list of strings.');
  if (typeof seqLen !== 'number' || !Number.isInteger(seqLen) || seqLen < 1)
    throw new Error('config.json: seqLen must be a positive whole number.');
  if (typeof name !== 'string' || typeof tokenizer !== 'string' || typeof vocabSize !== 'number')
    throw new Error('config.json: name, tokenizer and vocabSize are missing.');
  return {
    format: 'wordloom-tfjs',
    version: 1,
    name,
    task,
    labels,
    seqLen,
    promptCompletion: promptCompletion === true,
    tokenizer,
    vocabSize,
  };
}
