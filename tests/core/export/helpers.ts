import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../core/cli/main';
import type { Graph, ParamValue } from '../../../core/graph/model';
import { encodeForInference } from '../../../core/data/inference';
import { predict, padRows } from '../../../core/predict/predict';
import { loadDataset } from '../../../core/host-node/datasets';
import { startNodeBackend } from '../../../core/host-node/backend';
import { predictorOf, type LoadedRun } from '../../../core/run/load';
import { runFiles, trainRun } from '../../../core/run/session';
import type { RunFiles } from '../../../core/run/files';
import { withTrainDefaults } from '../../../core/train/protocol';
import { predictionJson, type PredictionJson } from '../../../core/export/tfjs/prediction-json';
import { loadTemplate } from '../templates/load-templates';

const execFileP = promisify(execFile);
const NODE_MODULES = join(process.cwd(), 'node_modules');

/** A scratch folder whose node_modules is the repo's, so an exported module there resolves @tensorflow/tfjs. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * The template with its widths cut to 16 (seqLen, dim, units): the same node types and wiring, so the
 * same layers are exported, without minutes of CPU time (tf.js's orthogonal RNN initialiser is slow).
 */
export function shrink(graph: Graph): Graph {
  const small = (k: string, v: ParamValue): ParamValue =>
    typeof v === 'number' && ['seqLen', 'dim', 'units'].includes(k) ? Math.min(v, 16) : v;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({
      ...n,
      params: Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, small(k, v)])),
    })),
  };
}

/** A (shrunk) template trained for one step on a bundled set: the in-memory run (as the app holds it) and its files. */
export async function trainTemplate(
  file: string,
  data: string,
  tokenizer: string,
): Promise<{ run: LoadedRun; files: RunFiles }> {
  await startNodeBackend('cpu');
  const prepared = loadDataset(data, { tokenizer });
  const config = withTrainDefaults({ steps: 1, batchSize: 2, evalEvery: 1, evalBatches: 1, warmupSteps: 0 });
  const trained = await trainRun({
    graph: shrink(loadTemplate(file)),
    data: prepared,
    config,
    backend: 'cpu',
    emit: () => {},
  });
  const run: LoadedRun = {
    manifest: trained.manifest,
    tokenizer: prepared.tokenizer,
    model: trained.model,
    predictor: predictorOf(trained.manifest, prepared.tokenizer, trained.model),
  };
  return { run, files: await runFiles(trained, prepared) };
}

/** What core says for `text`: the raw logits (as predict encodes the text) and the predict JSON. */
export async function coreAnswer(run: LoadedRun, text: string, topK: number) {
  const input = encodeForInference(run.predictor, text, run.manifest.seqLen);
  const out = tf.tidy(() => run.model.predict(padRows([input.tokens], run.manifest.seqLen)) as tf.Tensor);
  const logits = { shape: out.shape, values: Array.from(await out.data()) };
  out.dispose();
  return { logits, json: predictionJson(await predict(run.predictor, text, topK)) };
}

export interface ExportedAnswer {
  logits: { shape: number[]; values: number[] };
  json: PredictionJson;
  /** What the module-level predict() (after load) returned: must equal json. */
  moduleJson: PredictionJson;
}

/** The module specifiers a generated module imports (static and literal dynamic). */
export function importsOf(source: string): string[] {
  const specs = [...source.matchAll(/^import [^;]*? from "([^"]+)";$/gm), ...source.matchAll(/\bimport\("([^"]+)"\)/g)];
  return [...new Set(specs.map((m) => m[1]))].sort();
}

/**
 * Loads `exportDir` in a fresh Node process that imports only @tensorflow/tfjs and the exported
 * wordloom-model.js, and asks it the same question. The answer comes back in a file, because tf.js
 * prints an advert on stdout in Node.
 */
export async function exportedAnswer(exportDir: string, text: string, topK: number): Promise<ExportedAnswer> {
  const script = join(exportDir, '..', `ask-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  const answer = `${script}.json`;
  writeFileSync(
    script,
    [
      "import * as tf from '@tensorflow/tfjs';",
      "import { writeFileSync } from 'node:fs';",
      `const mod = await import(${JSON.stringify(join(exportDir, 'wordloom-model.js'))});`,
      "await tf.setBackend('cpu');",
      `const model = await mod.load(${JSON.stringify(exportDir)});`,
      `const text = ${JSON.stringify(text)};`,
      `const json = await model.predict(text, { topK: ${topK} });`,
      `const moduleJson = await mod.predict(text, { topK: ${topK} });`,
      'const logits = await model.logits(text);',
      `writeFileSync(${JSON.stringify(answer)}, JSON.stringify({ logits, json, moduleJson }));`,
    ].join('\n'),
  );
  await execFileP(process.execPath, [script], { maxBuffer: 1 << 26 });
  return JSON.parse(readFileSync(answer, 'utf8')) as ExportedAnswer;
}

/** What `wordloom predict <run-dir> --text … --top K --json` prints, parsed (the CLI in-process). */
export async function cliPredictJson(runDir: string, text: string, topK: number): Promise<unknown> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), isTTY: false };
  const code = await main(['predict', runDir, '--text', text, '--top', String(topK), '--json'], io);
  if (code !== 0) throw new Error(`wordloom predict failed: ${err}`);
  return JSON.parse(out);
}

export const maxAbsDiff = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
