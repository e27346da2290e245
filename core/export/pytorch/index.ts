/**
 * PyTorch export of a trained run (docs/cli.md): model.py (a generated nn.Module), weights.safetensors,
 * tokenizer.json, train.py and README.md, as bytes. No files are written here; the CLI and the app do that.
 */
import { BUNDLED_DATASETS } from '../../data/bundled/manifest';
import { encodeUtf8 } from '../../data/utf8';
import type { Graph } from '../../graph/model';
import type { Binding } from '../../nodes/define';
import type { LoadedRun } from '../../run/load';
import { modelPy } from './model-py';
import { planExport } from './plan';
import { readme } from './readme';
import { writeSafetensors } from './safetensors';
import { trainPy } from './train-py';
import { pytorchWeights } from './weights';

/** A graph the PyTorch export cannot write; the message is one sentence naming the node or the problem. */
export class PytorchExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PytorchExportError';
  }
}

/** Why `graph` cannot be exported to PyTorch, or undefined when it can. */
export function pytorchExportProblem(graph: Graph, binding: Binding): string | undefined {
  const r = planExport(graph, binding);
  return r.ok ? undefined : r.message;
}

/** The files of the PyTorch export; throws PytorchExportError for a graph it cannot write. */
export async function exportPytorch(run: LoadedRun): Promise<Record<string, Uint8Array>> {
  const { manifest } = run;
  const planned = planExport(manifest.graph, manifest.binding);
  if (!planned.ok) throw new PytorchExportError(planned.message);
  const plan = planned.plan;
  const tensors = await pytorchWeights(run.model, plan);
  const count = tensors.reduce((n, t) => n + t.data.length, 0);
  if (count !== run.model.countParams()) {
    throw new Error(`exportPytorch: exported ${count} numbers but the model has ${run.model.countParams()} parameters`);
  }
  const bundled = BUNDLED_DATASETS.find((d) => d.name === manifest.data.source);
  const cols = bundled && 'columns' in bundled ? bundled.columns : undefined;
  const columns: [string, string] | undefined =
    cols && 'prompt' in cols
      ? [cols.prompt, cols.completion]
      : cols && 'label' in cols && typeof cols.label === 'string'
        ? [cols.text, cols.label]
        : undefined;
  const t = manifest.training;
  return {
    'model.py': encodeUtf8(modelPy(plan, manifest.labels)),
    'weights.safetensors': writeSafetensors(tensors, { format: 'pt', generator: 'wordloom', graph: plan.name }),
    'tokenizer.json': encodeUtf8(JSON.stringify({ ...run.tokenizer.toJSON(), labels: manifest.labels })),
    'train.py': encodeUtf8(
      trainPy({
        batchSize: t.batchSize,
        learningRate: t.learningRate,
        weightDecay: t.weightDecay,
        gradClip: t.gradClip,
        seed: t.seed,
        columns,
      }),
    ),
    'README.md': encodeUtf8(
      readme(plan, count, bundled ? `${bundled.file}` : 'data.txt', {
        batchSize: t.batchSize,
        learningRate: t.learningRate,
        seed: t.seed,
      }),
    ),
  };
}
