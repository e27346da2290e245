import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportTfjs } from '../../../core/export/tfjs/index';
import { parseExportConfig } from '../../../core/export/tfjs/config';
import { createRuntime } from '../../../core/export/tfjs/runtime-core';
import { readBasicTokenizer } from '../../../core/export/tfjs/runtime-tokenizer';
import { coreAnswer, trainTemplate } from './helpers';

// The exported module's API in-process: the paths a browser takes (fetch, or bytes in hand) and its refusals.
let files: Record<string, Uint8Array>;
let expected: Awaited<ReturnType<typeof coreAnswer>>['json'];
const TEXT = 'a truly great film';

beforeAll(async () => {
  const { run } = await trainTemplate('bow-classifier.json', 'sentiment', 'word');
  files = await exportTfjs(run);
  expected = (await coreAnswer(run, TEXT, 2)).json;
  run.model.dispose();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('wordloom-model.js API', () => {
  it('load({ files }) then predict(text) answers as core does', async () => {
    const runtime = createRuntime(readBasicTokenizer);
    const model = await runtime.load({ files });
    expect(await runtime.predict(TEXT, { topK: 2 })).toEqual(expected);
    expect(model.config.task).toBe('classify');
    model.dispose();
  });

  it('loads an http(s) URL over fetch, each file under the folder URL', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      const bytes = files[url.replace('https://models.example/bow/', '')];
      return { ok: bytes !== undefined, status: bytes ? 200 : 404, arrayBuffer: async () => bytes?.slice().buffer };
    });
    const runtime = createRuntime(readBasicTokenizer);
    const model = await runtime.load('https://models.example/bow');
    expect(await model.predict(TEXT, { topK: 2 })).toEqual(expected);
    expect(asked.sort()).toEqual(
      ['config.json', 'model.json', 'tokenizer.json', 'weights.bin'].map((f) => `https://models.example/bow/${f}`),
    );
    await expect(runtime.load('https://models.example/none')).rejects.toThrow(
      'Cannot load https://models.example/none/config.json (HTTP 404).',
    );
    model.dispose();
  });

  it('says what is missing, in one sentence', async () => {
    const runtime = createRuntime(readBasicTokenizer);
    await expect(runtime.predict('hi')).rejects.toThrow('Call load(dirOrUrl) before predict(text).');
    const noConfig = Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'config.json'));
    await expect(runtime.load({ files: noConfig })).rejects.toThrow('The files passed to load() have no config.json.');
    await expect(runtime.load('/no/such/folder')).rejects.toThrow(
      'Cannot read config.json in /no/such/folder; is it a Wordloom tf.js export folder?',
    );
    expect(() => parseExportConfig({ format: 'wordloom-tfjs', version: 1, task: 'summarise' })).toThrow(
      'config.json: task must be next-token, classify or tag.',
    );
    expect(() => readBasicTokenizer({ kind: 'gpt2', version: 1 })).toThrow(/kind gpt2/);
  });
});
