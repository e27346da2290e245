import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../core/graph/model';
import { newProject } from '../../core/project/project';
import { createHandlers, type IpcDeps } from '../../electron/ipc';
import { legacyRunFolderFor, readRunFolder, runFolderFor } from '../../electron/runFiles';

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
  it('writes a run into <project file name>.runs/<id>/ and reads the same bytes back', async () => {
    const h = createHandlers(deps());
    const path = join(dir, 'demo.wordloom.json');
    expect((await h.saveProjectAs({ project })).ok).toBe(true);
    expect(runFolderFor(path, 'run-1')).toBe(join(dir, 'demo.wordloom.json.runs', 'run-1'));
    expect(await h.saveRunFiles({ projectPath: path, runId: 'run-1', files })).toEqual({
      ok: true,
      value: { dir: join(dir, 'demo.wordloom.json.runs', 'run-1') },
    });
    expect(new Uint8Array(await readFile(join(dir, 'demo.wordloom.json.runs', 'run-1', 'weights.bin')))).toEqual(
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

  it('keeps the runs of demo.json and demo.wordloom.json in the same folder apart', async () => {
    const h = createHandlers(deps());
    const a = join(dir, 'demo.json');
    const b = join(dir, 'demo.wordloom.json');
    for (const path of [a, b]) {
      savePath = path;
      expect((await h.saveProjectAs({ project })).ok).toBe(true);
    }
    const other = { 'run.json': new TextEncoder().encode('{"b":1}') };
    await h.saveRunFiles({ projectPath: a, runId: 'run-1', files });
    await h.saveRunFiles({ projectPath: b, runId: 'run-1', files: other });
    expect(runFolderFor(a, 'run-1')).not.toBe(runFolderFor(b, 'run-1'));
    expect(await h.loadRunFiles({ projectPath: a, runId: 'run-1' })).toEqual({ ok: true, value: files });
    expect(await h.loadRunFiles({ projectPath: b, runId: 'run-1' })).toEqual({ ok: true, value: other });
  });

  it('reads a run from the old <stem>.runs folder and copies it into the new one', async () => {
    const path = join(dir, 'demo.wordloom.json');
    const old = legacyRunFolderFor(path, 'run-7');
    expect(old).toBe(join(dir, 'demo.runs', 'run-7'));
    await mkdir(old, { recursive: true });
    for (const [name, data] of Object.entries(files)) await writeFile(join(old, name), data);
    expect(await readRunFolder(path, 'run-7')).toEqual({ ok: true, value: files });
    const copied = runFolderFor(path, 'run-7');
    expect(new Uint8Array(await readFile(join(copied, 'weights.bin')))).toEqual(files['weights.bin']);
    expect(new Uint8Array(await readFile(join(old, 'weights.bin')))).toEqual(files['weights.bin']); // left in place
    // The new folder now wins, even if the old one changes.
    await writeFile(join(old, 'weights.bin'), new Uint8Array([9]));
    expect(await readRunFolder(path, 'run-7')).toEqual({ ok: true, value: files });
  });

  it('refuses, before reading it, a run file that takes the run past the size limit, naming it', async () => {
    const path = join(dir, 'demo.wordloom.json');
    const runDir = runFolderFor(path, 'big');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'run.json'), new Uint8Array(600));
    await writeFile(join(runDir, 'weights.bin'), new Uint8Array(600));
    const r = await readRunFolder(path, 'big', undefined, 1000);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'too-large',
        message:
          'demo.wordloom.json.runs/big/weights.bin brings the run to 1200 bytes; Wordloom reads runs of up to 1000 bytes.',
      },
    });
    expect((await readRunFolder(path, 'big', undefined, 1200)).ok).toBe(true);
  });
});
