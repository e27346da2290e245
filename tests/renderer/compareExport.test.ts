import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { RunFiles } from '../../core/run/files';
import type { ExportFormat } from '../../core/worker/protocol';
import { recordFromManifest } from '../../renderer/lib/runRecord';
import type { CompareClient } from '../../renderer/services/compareClient';
import { exportFilesOf, exportRun, fileStem, zipFolder } from '../../renderer/services/exportRun';
import type { ExportRequest, Platform } from '../../renderer/services/platform';
import { createAppStore } from '../../renderer/store';
import { manifestOf, template } from './compare/fixtures';

const manifest = manifestOf('r1', template('mini-gpt'));
const record = recordFromManifest(manifest, { weightsRef: 'indexeddb:p/r1' });

/** A compare worker that holds what it opened and answers exports with two files. */
function fakeClient() {
  const opened: string[] = [];
  const exported: [string, ExportFormat][] = [];
  const client: CompareClient = {
    train: async () => undefined,
    stop: () => undefined,
    save: async () => {
      throw new Error('not used');
    },
    async open(runId) {
      opened.push(runId);
      return manifest;
    },
    holds: (runId) => opened.includes(runId),
    predict: async () => {
      throw new Error('not used');
    },
    generate: async () => undefined,
    async exportRun(runId, format) {
      exported.push([runId, format]);
      return { 'model.json': new TextEncoder().encode('{}'), 'weights.bin': new Uint8Array([1, 2, 3]) };
    },
    dispose: () => undefined,
  };
  return { client, opened, exported };
}

const weightsWith = (files: Record<string, RunFiles>) => ({
  put: async () => undefined,
  get: async (ref: string) => files[ref],
});

function fakePlatform(kind: Platform['kind']) {
  const requests: ExportRequest[] = [];
  const platform: Pick<Platform, 'kind' | 'exportFiles'> = {
    kind,
    exportFiles: async (r) => {
      requests.push(r);
      return { ok: true, value: { dir: `/chosen/${r.folderName}`, written: r.files.map((f) => f.name) } };
    },
  };
  return { platform, requests };
}

describe('export from the app', () => {
  it('names files after the run, and writes its curves as CSV and its graph as SVG without the model', async () => {
    expect(fileStem(record.name)).toBe('mini-gpt-shakespeare-10-00');
    const deps = { client: fakeClient().client, weights: weightsWith({}) };
    const csv = await exportFilesOf(deps, record, 'csv');
    expect(csv.files.map((f) => f.name)).toEqual(['mini-gpt-shakespeare-10-00-metrics.csv']);
    const text = String(csv.files[0].data);
    expect(text.split('\n')[0]).toBe('step,loss,lr,tokensPerSec,elapsed,tokens,valLoss,valAccuracy,perplexity');
    expect(text.trim().split('\n')).toHaveLength(11);
    const svg = await exportFilesOf(deps, record, 'svg');
    expect(svg.files[0].name).toBe('mini-gpt-shakespeare-10-00.svg');
    expect(String(svg.files[0].data)).toMatch(/^<svg[^>]*>\n<title>Mini GPT<\/title>/);
    expect(String(svg.files[0].data)).toContain('logits [64, 67]'); // shapes inferred with the run's own V
  });

  it('opens the run’s kept weights in the compare worker before a model export, and says so when they are gone', async () => {
    const { client, opened, exported } = fakeClient();
    const deps = { client, weights: weightsWith({ 'indexeddb:p/r1': { 'run.json': new Uint8Array() } }) };
    const out = await exportFilesOf(deps, record, 'tfjs');
    expect(opened).toEqual(['r1']);
    expect(exported).toEqual([['r1', 'tfjs']]);
    expect(out).toMatchObject({ folderName: 'mini-gpt-shakespeare-10-00-tfjs' });
    expect(out.files.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    await exportFilesOf(deps, record, 'bundle');
    expect(opened).toEqual(['r1']); // held now: not opened twice

    const gone = { client: fakeClient().client, weights: weightsWith({}) };
    await expect(exportFilesOf(gone, record, 'pytorch')).rejects.toThrow(
      'The weights of "Mini GPT · shakespeare · 10:00" are not on this computer; train it again to use its model.',
    );
  });

  it('downloads one zip of the folder in a browser, and hands the desktop the files to write in a folder', async () => {
    const store = createAppStore();
    store.getState().recordRun(record);
    const weights = weightsWith({ 'indexeddb:p/r1': {} });
    const web = fakePlatform('browser');
    const said = await exportRun({ platform: web.platform, store, client: fakeClient().client, weights }, 'r1', 'tfjs');
    expect(said).toBe('Downloaded mini-gpt-shakespeare-10-00-tfjs.zip.');
    const [zip] = web.requests[0].files;
    const entries = unzipSync(zip.data instanceof Uint8Array ? zip.data : new Uint8Array());
    expect(Object.keys(entries).sort()).toEqual([
      'mini-gpt-shakespeare-10-00-tfjs/model.json',
      'mini-gpt-shakespeare-10-00-tfjs/weights.bin',
    ]);
    const csv = await exportRun({ platform: web.platform, store, client: fakeClient().client, weights }, 'r1', 'csv');
    expect(csv).toBe('Downloaded mini-gpt-shakespeare-10-00-metrics.csv.');

    const desk = fakePlatform('desktop');
    const wrote = await exportRun(
      { platform: desk.platform, store, client: fakeClient().client, weights },
      'r1',
      'pytorch',
    );
    expect(wrote).toBe('Exported 2 files to /chosen/mini-gpt-shakespeare-10-00-pytorch.');
    expect(desk.requests[0].files.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
  });

  it('zips text and bytes under one folder', () => {
    const entries = unzipSync(
      zipFolder('x', [
        { name: 'a.txt', data: 'hi' },
        { name: 'b.bin', data: new Uint8Array([9]) },
      ]),
    );
    expect(strFromU8(entries['x/a.txt'])).toBe('hi');
    expect([...entries['x/b.bin']]).toEqual([9]);
  });
});
