import { strToU8 } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { saveModelArtifacts } from '../../compile/artifacts';
import { artifactsToFiles } from '../../run/files';
import type { LoadedRun } from '../../run/load';
import { exportConfig } from './config';
import { RUNTIME_SOURCE, RUNTIME_SOURCE_GPT2 } from './runtime-source.generated';

export { exportConfig, parseExportConfig, type ExportConfig } from './config';
export { predictionJson, type PredictionJson } from './prediction-json';

const GPT_TOKENIZER_VERSION = '^4.0.0';

const json = (x: unknown): Uint8Array => strToU8(`${JSON.stringify(x, null, 2)}\n`);

/**
 * A run as a folder any tf.js app can use: model.json + weights.bin (standard layers format),
 * tokenizer.json, config.json, and wordloom-model.js, a self-contained ES module (custom layers,
 * tokenizer and predict inlined) exposing `load(dirOrUrl)` and `predict(text, { topK })`.
 */
export async function exportTfjs(run: LoadedRun): Promise<Record<string, Uint8Array>> {
  const gpt2 = run.tokenizer.kind === 'gpt2';
  const dependencies: Record<string, string> = { '@tensorflow/tfjs': `^${tf.version.tfjs}` };
  if (gpt2) dependencies['gpt-tokenizer'] = GPT_TOKENIZER_VERSION;
  return {
    ...artifactsToFiles(await saveModelArtifacts(run.model)),
    'tokenizer.json': json(run.tokenizer.toJSON()),
    'config.json': json(exportConfig(run.manifest)),
    'wordloom-model.js': strToU8(gpt2 ? RUNTIME_SOURCE_GPT2 : RUNTIME_SOURCE),
    'package.json': json({
      name: slug(run.manifest.name) || 'wordloom-model',
      private: true,
      type: 'module',
      main: 'wordloom-model.js',
      dependencies,
    }),
    'README.md': strToU8(readme(run, gpt2)),
  };
}

/** A name safe for files and npm: lower-case letters, digits and dashes. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

function readme(run: LoadedRun, gpt2: boolean): string {
  const m = run.manifest;
  return [
    `# ${m.name}`,
    '',
    `A ${m.data.task} model trained with Wordloom on "${m.data.source}" (tokenizer ${m.tokenizer}, T = ${m.seqLen}).`,
    '',
    '```js',
    "import { load } from './wordloom-model.js';",
    '',
    "const model = await load('./'); // a folder path in Node, a URL in the browser",
    "console.log(await model.predict('your text', { topK: 5 }));",
    '```',
    '',
    `Needs \`@tensorflow/tfjs\`${gpt2 ? ' and `gpt-tokenizer`' : ''} (\`npm install\` here). model.json + weights.bin`,
    'are a standard tf.js layers model; its custom layers are registered by wordloom-model.js.',
    '',
  ].join('\n');
}
