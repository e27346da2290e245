/** Shared by the PyTorch export tests: runs from templates with non-trivial weights, and a Python with torch. */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileGraph } from '../../../../core/compile/compile';
import { mulberry32 } from '../../../../core/data/rng';
import { CharTokenizer } from '../../../../core/data/tokenizers/char';
import type { Tokenizer } from '../../../../core/data/tokenizers/types';
import { parseGraph } from '../../../../core/graph/io';
import type { Graph } from '../../../../core/graph/model';
import type { Binding } from '../../../../core/nodes/define';
import { predictorOf, type LoadedRun } from '../../../../core/run/load';
import type { RunManifest } from '../../../../core/run/manifest';
import { DEFAULT_TRAIN_CONFIG } from '../../../../core/train/protocol';

/** The first Python that imports torch (Debian's /usr/bin/python3 first), or undefined. */
export function findTorchPython(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

export const TORCH_PY = findTorchPython();
/** Appended to the names of tests that need PyTorch, so a skip says why. */
export const NEEDS_TORCH = TORCH_PY ? '' : ' (skipped: PyTorch not installed)';

/** Runs python with torch on one thread (two spin-waiting threads crawl on a busy 2-core machine); returns stdout, throws with stderr. */
export function python(args: string[], cwd: string): string {
  if (!TORCH_PY) throw new Error('python: no Python with torch');
  const r = spawnSync(TORCH_PY, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function loadTemplateGraph(file: string): Graph {
  const { graph, diagnostics } = parseGraph(JSON.parse(readFileSync(join(ROOT, 'templates', file), 'utf8')), {
    fileName: file,
  });
  if (!graph || diagnostics.some((d) => d.severity === 'error'))
    throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return graph;
}

/**
 * Weights far from their initial values, seeded: kernels uniform in ±gain·1.5/√fan-in (gain 3 pushes RNN gates
 * into the hard sigmoid's flat ends), embeddings in ±1, biases in ±0.3, LayerNorm gammas in 1 ± 0.3.
 */
export function setNontrivialWeights(model: tf.LayersModel, seed: number, gain = 1): void {
  const rng = mulberry32(seed);
  for (const w of model.weights) {
    const shape = w.shape.map((d) => d ?? 1);
    const n = shape.reduce((a, b) => a * b, 1);
    const name = w.originalName;
    const scale = shape.length === 2 ? (name.endsWith('embeddings') ? 1 : (gain * 1.5) / Math.sqrt(shape[0])) : 0.3;
    const center = name.endsWith('gamma') ? 1 : 0;
    const values = Float32Array.from({ length: n }, () => center + (2 * rng() - 1) * scale);
    w.write(tf.tensor(values, shape));
  }
}

/** A char tokenizer with exactly `vocabSize` ids. */
export function tokenizerOfSize(vocabSize: number): Tokenizer {
  const chars = Array.from({ length: vocabSize - 4 }, (_, i) => String.fromCodePoint(0x41 + i));
  return new CharTokenizer(chars);
}

/** A LoadedRun for `graph` with seeded non-trivial weights (no training). */
export function runFromGraph(
  graph: Graph,
  binding: Binding,
  opts: { labels?: string[]; gain?: number } = {},
): LoadedRun {
  const compiled = compileGraph(graph, binding);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  setNontrivialWeights(compiled.model, 7, opts.gain);
  const labels =
    opts.labels ??
    (compiled.task === 'next-token' ? [] : Array.from({ length: binding.numClasses }, (_, i) => `class${i}`));
  const seqLen = compiled.model.inputs[0]?.shape[1] ?? 0;
  const tokenizer = tokenizerOfSize(binding.vocabSize);
  const manifest: RunManifest = {
    format: 'wordloom-run',
    version: 1,
    id: 'test',
    name: graph.name,
    createdAt: '2025-01-01T00:00:00.000Z',
    graph,
    data: { source: 'test', task: compiled.task, promptCompletion: false, valFraction: 0.1 },
    tokenizer: 'char',
    labels,
    binding,
    seqLen,
    training: DEFAULT_TRAIN_CONFIG,
    backend: 'cpu',
    attention: compiled.attention,
    totals: { params: compiled.model.countParams(), flopsPerToken: 0 },
    metrics: { steps: [], evals: [] },
  };
  return { manifest, tokenizer, model: compiled.model, predictor: predictorOf(manifest, tokenizer, compiled.model) };
}

/** Rows of token ids in [1, V): full rows, or right-padded rows of lengths T, T/2, 1 and 0. */
export function tokenRows(batch: number, seqLen: number, vocabSize: number, padded: boolean, seed: number): number[][] {
  const rng = mulberry32(seed);
  const lengths = padded ? [seqLen, Math.floor(seqLen / 2), 1, 0] : [];
  return Array.from({ length: batch }, (_, b) => {
    const len = lengths[b % Math.max(1, lengths.length)] ?? seqLen;
    return Array.from({ length: seqLen }, (_, t) => (t < len ? 1 + Math.floor(rng() * (vocabSize - 1)) : 0));
  });
}

const tempDirs: string[] = [];

/** Removes the directories `writeFiles` made; each test file calls it in afterAll. */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes the export's files into a fresh temporary directory (removed by removeTempDirs). */
export function writeFiles(files: Record<string, Uint8Array>, prefix = 'wordloom-pt-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

const COMPARE = `
import json, sys, torch
torch.set_num_threads(1)
sys.path.insert(0, sys.argv[1])
from model import load_model
model = load_model(sys.argv[1])
out = []
for case in json.load(open(sys.argv[2])):
    with torch.no_grad():
        y = model(torch.tensor(case["tokens"]))
    want = torch.tensor(case["logits"])
    out.append({"shape": list(y.shape), "maxdiff": (y - want).abs().max().item(), "scale": want.abs().max().item()})
print(json.dumps(out))
`;

export interface Comparison {
  shape: number[];
  maxdiff: number;
  scale: number;
}

/** tf.js logits for each batch of rows, then model.py's on the same rows in one Python run. */
export function compareInPython(dir: string, model: tf.LayersModel, batches: number[][][]): Comparison[] {
  const cases = batches.map((rows) => {
    const x = tf.tensor2d(rows, undefined, 'int32');
    const y = model.predict(x) as tf.Tensor;
    const logits = y.arraySync();
    x.dispose();
    y.dispose();
    return { tokens: rows, logits };
  });
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  writeFileSync(join(dir, 'compare.py'), COMPARE);
  return JSON.parse(python(['compare.py', dir, join(dir, 'cases.json')], dir)) as Comparison[];
}
