import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../../core/export/pytorch/safetensors';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import { expectSameLogits } from './equivalence';
import { loadTemplateGraph, NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY } from './helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding = { vocabSize: 50, numClasses: 5 };

describe('PyTorch export of the recurrent templates', () => {
  it('stores Keras kernels transposed as nn.Linear weights, one cell per direction', async () => {
    const run = runFromGraph(loadTemplateGraph('lstm-tagger.json'), binding);
    const files = await exportPytorch(run);
    const { tensors, metadata } = readSafetensors(files['weights.safetensors'] ?? new Uint8Array());
    const shapes = Object.fromEntries(tensors.map((t) => [t.name, t.shape]));
    expect(shapes).toEqual({
      'emb.weight': [50, 64],
      'lstm.fwd.ih.weight': [512, 64],
      'lstm.fwd.ih.bias': [512],
      'lstm.fwd.hh.weight': [512, 128],
      'lstm.bwd.ih.weight': [512, 64],
      'lstm.bwd.ih.bias': [512],
      'lstm.bwd.hh.weight': [512, 128],
      'head.weight': [5, 256],
      'head.bias': [5],
    });
    expect(metadata.format).toBe('pt');
    // ih.weight[j][i] is the tf.js kernel[i][j] of the forward direction.
    const kernel = run.model.getLayer('lstm').weights.find((w) => w.originalName.endsWith('/forward_kernel'));
    const k = (await kernel?.read().array()) as number[][];
    const ih = tensors.find((t) => t.name === 'lstm.fwd.ih.weight');
    expect(ih?.data[3 * 64 + 5]).toBeCloseTo(k[5]?.[3] ?? NaN, 6);
    const py = new TextDecoder().decode(files['model.py']);
    expect(py).toContain('self.lstm = Recurrent("lstm", 64, 128, return_sequences=True, bidirectional=True)');
    expect(py).toContain('lstm = self.lstm(emb, keep)  # (B, T, 256)');
  });

  it.skipIf(!TORCH_PY)(
    `LSTM language model: model.py matches tf.js within 1e-4, with and without padding${NEEDS_TORCH}`,
    async () => {
      await expectSameLogits(runFromGraph(loadTemplateGraph('lstm-lm.json'), binding, { gain: 2 }));
    },
  );

  it.skipIf(!TORCH_PY)(
    `GRU language model (reset before the recurrent matmul) matches tf.js within 1e-4${NEEDS_TORCH}`,
    async () => {
      await expectSameLogits(runFromGraph(loadTemplateGraph('gru-lm.json'), binding, { gain: 2 }));
    },
  );

  it.skipIf(!TORCH_PY)(`char-RNN (SimpleRNN) matches tf.js within 1e-4${NEEDS_TORCH}`, async () => {
    await expectSameLogits(runFromGraph(loadTemplateGraph('char-rnn.json'), binding));
  });

  it.skipIf(!TORCH_PY)(
    `bidirectional LSTM tagger matches tf.js within 1e-4, padding included${NEEDS_TORCH}`,
    async () => {
      const dir = await expectSameLogits(runFromGraph(loadTemplateGraph('lstm-tagger.json'), binding, { gain: 2 }));
      expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain('class RecurrentCell(nn.Module)');
    },
  );
});
