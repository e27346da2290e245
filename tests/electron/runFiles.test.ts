import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../core/graph/model';
import { newProject } from '../../core/project/project';
import { createHandlers, type IpcDeps } from '../../electron/ipc';
import { runFolderFor } from '../../electron/runFiles';

const project = newProject({ format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Demo', nodes: [], edges: [] });
const files = { 'run.json': new TextEncoder().encode('{}'), 'weights.bin': new Uint8Array([1, 2, 3, 4]) };

let dir: string;
let savePath: string | undefined;
const deps = (): IpcDeps => ({
  showOpenDialog: async () => undefined,
  showSaveDialog: async () => savePath,
  showFolderDialog: async () => undefined,
  appInfo: () => ({ name: 'Wordloom', version: '0.0.0', platform: 'desktop', versions: {} }),
  recentFile: join(dir, 'recent.json'),
  onRecentChanged: () => undefined,
  onDirty: () => undefined,
  onSaveFinished: () => undefined,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-runs-'));
  savePath = join(dir, 'demo.wordloom.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run folders next to the project (run:save, run:load)', () => {
  it('writes a run into <project>.runs/<id>/ and reads the same bytes back', async () => {
    const h = createHandlers(deps());
    const path = join(dir, 'demo.wordloom.json');
    expect((await h.saveProjectAs({ project })).ok).toBe(true);
    expect(runFolderFor(path, 'run-1')).toBe(join(dir, 'demo.runs', 'run-1'));
    expect(await h.saveRunFiles({ projectPath: path, runId: 'run-1', files })).toEqual({
      ok: true,
      value: { dir: join(dir, 'demo.runs', 'run-1') },
    });
    expect(new Uint8Array(await readFile(join(dir, 'demo.runs', 'run-1', 'weights.bin')))).toEqual(
      files['weights.bin'],
    );
    expect(await h.loadRunFiles({ projectPath: path, runId: 'run-1' })).toEqual({ ok: true, value: files });
    expect(await h.loadRunFiles({ projectPath: path, runId: 'run-2' })).toEqual({ ok: true, value: null });
  });

  it('refuses a project path the user never chose, a run id that is a path, and files a run does not have', async () => {
    const h = createHandlers(deps());
    const path = join(dir, 'demo.wordloom.json');
    expect(await h.saveRunFiles({ projectPath: path, runId: 'run-1', files })).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' },
    });
    await h.saveProjectAs({ project });
    for (const runId of ['../escape', 'a/b', '']) {
      expect(await h.saveRunFiles({ projectPath: path, runId, files })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await h.loadRunFiles({ projectPath: path, runId })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }
    const odd = { '../../evil.sh': new Uint8Array([1]) };
    expect(await h.saveRunFiles({ projectPath: path, runId: 'run-1', files: odd })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await h.saveRunFiles({ projectPath: path, runId: 'run-1', files: { 'run.json': 'text' } })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });
});
