import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeRunDir } from '../../../core/host-node/run-dir';
import { exportTfjs } from '../../../core/export/tfjs/index';
import {
  cliPredictJson,
  coreAnswer,
  exportedAnswer,
  importsOf,
  maxAbsDiff,
  scratchDir,
  trainTemplate,
} from './helpers';

/** A template, the bundled set it is trained on, the tokenizer, and a text to ask about. */
export interface ExportCase {
  template: string;
  data: string;
  tokenizer: string;
  text: string;
}

/** Next-token templates (tfjs-export-lm.test.ts); bpe + a prompt-completion set makes the module append <|sep|>. */
export const LM_CASES: ExportCase[] = [
  { template: 'char-rnn.json', data: 'shakespeare', tokenizer: 'char', text: 'ROMEO: good' },
  { template: 'gru-lm.json', data: 'shakespeare', tokenizer: 'char', text: 'To be, or' },
  { template: 'lstm-lm.json', data: 'shakespeare', tokenizer: 'word:500', text: 'the king is dead' },
  { template: 'mini-gpt.json', data: 'translation-en-fr', tokenizer: 'bpe:100', text: 'good morning' },
  { template: 'mini-llama.json', data: 'shakespeare', tokenizer: 'char', text: 'KING RICHARD:' },
];

/** Classifiers and the tagger (tfjs-export-heads.test.ts); gpt2 makes the module import gpt-tokenizer too. */
export const HEAD_CASES: ExportCase[] = [
  { template: 'bow-classifier.json', data: 'sentiment', tokenizer: 'word', text: 'a truly great film' },
  { template: 'embedding-bag-classifier.json', data: 'sentiment', tokenizer: 'gpt2', text: 'dull and slow' },
  { template: 'bilstm-attention-classifier.json', data: 'sentiment', tokenizer: 'word', text: 'not bad at all' },
  { template: 'lstm-tagger.json', data: 'pos', tokenizer: 'word', text: "The dog's owner ran home." },
];

const FILES = [
  'README.md',
  'config.json',
  'model.json',
  'package.json',
  'tokenizer.json',
  'weights.bin',
  'wordloom-model.js',
];

/**
 * Trains the template for one step, exports it as tf.js, loads the export in a separate plain Node
 * process (tf.js + wordloom-model.js, nothing of core/) and checks its logits and predict JSON
 * against core's in-memory model and against `wordloom predict --json` on the saved run.
 */
export function exportCaseTest(c: ExportCase): void {
  it(`${c.template} (${c.data}, ${c.tokenizer}): the exported module answers as core does`, async () => {
    const { run, files } = await trainTemplate(c.template, c.data, c.tokenizer);
    const scratch = scratchDir('wordloom-tfjs-');
    const dir = join(scratch, 'export');
    writeRunDir(dir, await exportTfjs(run));
    writeRunDir(join(scratch, 'run'), files);
    expect(readdirSync(dir).sort()).toEqual(FILES);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const m = run.manifest;
    expect(config).toMatchObject({ task: m.data.task, labels: m.labels, seqLen: m.seqLen, tokenizer: c.tokenizer });
    const source = readFileSync(join(dir, 'wordloom-model.js'), 'utf8');
    const expected =
      c.tokenizer === 'gpt2' ? ['@tensorflow/tfjs', 'gpt-tokenizer/encoding/gpt2'] : ['@tensorflow/tfjs'];
    expect(importsOf(source)).toEqual(expected);

    const core = await coreAnswer(run, c.text, 3);
    const exported = await exportedAnswer(dir, c.text, 3);
    run.model.dispose();
    expect(exported.logits.shape).toEqual(core.logits.shape);
    expect(maxAbsDiff(exported.logits.values, core.logits.values)).toBeLessThan(1e-5);
    expect(exported.json).toEqual(core.json);
    expect(exported.moduleJson).toEqual(core.json);
    expect(exported.json).toEqual(await cliPredictJson(join(scratch, 'run'), c.text, 3));
  });
}
