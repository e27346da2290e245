import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../../../core/export/pytorch/index';
import { expectSameLogits } from './equivalence';
import { loadTemplateGraph, NEEDS_TORCH, removeTempDirs, runFromGraph, TORCH_PY, writeFiles } from './helpers';

afterAll(removeTempDirs);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const binding = { vocabSize: 50, numClasses: 5 };

describe('PyTorch export of the attention and pooling templates', () => {
  it('writes the five files, and model.py has one attribute and one shape-commented line per node', async () => {
    const run = runFromGraph(loadTemplateGraph('mini-gpt.json'), binding);
    const files = await exportPytorch(run);
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'model.py',
      'tokenizer.json',
      'train.py',
      'weights.safetensors',
    ]);
    const py = new TextDecoder().decode(files['model.py']);
    for (const id of ['emb', 'pos', 'block1', 'block2', 'block3', 'block4', 'ln'])
      expect(py).toMatch(new RegExp(`self\\.${id} = .*# \\w+ "${id}"`));
    expect(py).toContain('block1 = self.block1(pos, keep)  # (B, T, 128)');
    expect(py).toContain('head = F.linear(ln, self.emb.weight)  # (B, T, 50): tied');
    expect(py).toMatch(/^V = 50 /m);
    expect(py).toMatch(/^T = 64 /m);
    expect(py).toContain('class TransformerBlock(nn.Module)');
    expect(py).toContain('class SelfAttention(nn.Module)'); // needed by TransformerBlock
    expect(py).not.toContain('class Recurrent(nn.Module)'); // only the blocks the graph uses
    expect(py).not.toContain('class BagOfWords(nn.Module)');
    const tok: unknown = JSON.parse(new TextDecoder().decode(files['tokenizer.json']));
    expect(tok).toMatchObject({ kind: 'char', version: 1, labels: [] });
  });

  it.skipIf(!TORCH_PY)(
    `mini GPT: model.py gives tf.js's logits within 1e-4, with and without padding${NEEDS_TORCH}`,
    async () => {
      await expectSameLogits(runFromGraph(loadTemplateGraph('mini-gpt.json'), binding));
    },
  );

  it.skipIf(!TORCH_PY)(
    `mini LLaMA (RMSNorm, RoPE, SwiGLU, GQA): model.py gives tf.js's logits within 1e-4, with and without padding${NEEDS_TORCH}`,
    async () => {
      const run = runFromGraph(loadTemplateGraph('mini-llama.json'), binding);
      const py = new TextDecoder().decode((await exportPytorch(run))['model.py']);
      for (const cls of ['RMSNorm', 'SelfAttention', 'SwiGLU']) expect(py).toContain(`class ${cls}(nn.Module)`);
      expect(py).toContain(
        'self.attn1 = SelfAttention(128, heads=4, causal=True, dropout=0.0, rope=True, t=T, kv_heads=2)',
      );
      expect(py).not.toContain('class PositionalEncoding');
      await expectSameLogits(run);
    },
  );

  it.skipIf(!TORCH_PY)(`BiLSTM + attention classifier matches tf.js within 1e-4${NEEDS_TORCH}`, async () => {
    await expectSameLogits(runFromGraph(loadTemplateGraph('bilstm-attention-classifier.json'), binding, { gain: 2 }));
  });

  it.skipIf(!TORCH_PY)(`bag-of-words classifier matches tf.js within 1e-4${NEEDS_TORCH}`, async () => {
    const dir = await expectSameLogits(runFromGraph(loadTemplateGraph('bow-classifier.json'), binding));
    const py = readFileSync(join(dir, 'model.py'), 'utf8');
    expect(py).toContain('self.bow = BagOfWords(V, binary=False)');
    expect(py).toContain('hidden = torch.relu(self.hidden(bow))  # (B, 128)');
    expect(py).not.toContain('keep = '); // nothing in this graph masks
  });

  it.skipIf(!TORCH_PY)(`embedding-bag classifier matches tf.js within 1e-4${NEEDS_TORCH}`, async () => {
    await expectSameLogits(runFromGraph(loadTemplateGraph('embedding-bag-classifier.json'), binding));
  });

  it('writes the files without Python: the export itself needs no PyTorch', async () => {
    const base = runFromGraph(loadTemplateGraph('embedding-bag-classifier.json'), binding);
    // Settings unlike the defaults, so a README that ignores them shows.
    const training = { ...base.manifest.training, batchSize: 7, learningRate: 0.0125, seed: 5 };
    const run = { ...base, manifest: { ...base.manifest, training } };
    const dir = writeFiles(await exportPytorch(run));
    const text = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(text).toContain('torchrun --nproc_per_node=4 train.py');
    // The README quotes the run's own settings (it used to say 16 / 0.003 / 42 whatever the run used).
    const t = run.manifest.training;
    expect(text).toContain(`--batch ${t.batchSize} --lr ${t.learningRate} --seed ${t.seed}`);
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toContain(`default=${t.batchSize}`);
  });
});
