import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PytorchExportError, exportPytorch, pytorchExportProblem } from '../../../../core/export/pytorch/index';
import { pythonNames } from '../../../../core/export/pytorch/names';
import { planExport } from '../../../../core/export/pytorch/plan';
import { makeGraph, makeNode } from '../../../builders';
import { loadTemplateGraph, removeTempDirs, runFromGraph } from './helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding = { vocabSize: 30, numClasses: 2 };

describe('what the PyTorch export accepts', () => {
  it('refuses a node type it does not know with one sentence naming the node', async () => {
    const graph = makeGraph(
      [
        makeNode('TokenInput', { seqLen: 8 }, 'in'),
        makeNode('Embedding', { dim: 4 }, 'emb'),
        makeNode('Conv2D', { filters: 4 }, 'conv'),
        makeNode('MeanPool', {}, 'pool'),
        makeNode('ClassifierHead', {}, 'head'),
      ],
      [
        ['in', 'emb'],
        ['emb', 'conv'],
        ['conv', 'pool'],
        ['pool', 'head'],
      ],
    );
    const message =
      'Node "conv" is a Conv2D, a node type this version of Wordloom does not know, so this graph cannot be exported to PyTorch.';
    expect(pytorchExportProblem(graph, binding)).toBe(message);
    const run = runFromGraph(loadTemplateGraph('embedding-bag-classifier.json'), binding);
    run.manifest.graph = graph;
    await expect(exportPytorch(run)).rejects.toThrow(new PytorchExportError(message));
  });

  it('says why a graph that does not compile cannot be exported', () => {
    const graph = makeGraph(
      [makeNode('TokenInput', { seqLen: 8 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb')],
      [['in', 'emb']],
    );
    expect(pytorchExportProblem(graph, binding)).toMatch(/^The graph .*\.$/);
  });

  it('plans only the nodes that feed the head, in topological order', () => {
    const r = planExport(loadTemplateGraph('mini-gpt.json'), binding);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.nodes.map((n) => n.id)).toEqual([
      'in',
      'emb',
      'pos',
      'block1',
      'block2',
      'block3',
      'block4',
      'ln',
      'head',
    ]);
    expect(r.plan.nodes.find((n) => n.id === 'pos')?.out).toEqual({ type: 'sequence', shape: [64, 128] });
  });

  it('exports exactly the model parameters', async () => {
    for (const t of ['mini-gpt.json', 'bilstm-attention-classifier.json', 'bow-classifier.json']) {
      const run = runFromGraph(loadTemplateGraph(t), binding);
      const files = await exportPytorch(run);
      const bytes = files['weights.safetensors'] ?? new Uint8Array();
      const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
      expect(bytes.length - 8 - headerLen).toBe(4 * run.model.countParams());
    }
  });
});

describe('Python names for node ids', () => {
  it('keeps plain ids, fixes keywords, module attributes and characters, and never repeats a name', () => {
    const names = pythonNames(['emb', 'in', 'forward', 'training', 'my-node', 'my node', '2nd', 'T', 'keep', 'lstm']);
    expect([...names.values()]).toEqual([
      'emb',
      'in_',
      'forward_',
      'training_',
      'my_node',
      'my_node2',
      'n2nd',
      'T_',
      'keep_',
      'lstm',
    ]);
  });
});
