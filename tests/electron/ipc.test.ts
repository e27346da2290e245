import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../core/graph/model';
import { newProject, serializeProject } from '../../core/project/project';
import type { RecentFile } from '../../electron/api';
import { CHANNELS } from '../../electron/channels';
import { createHandlers, projectFileName, registerHandlers, type IpcDeps } from '../../electron/ipc';

const project = newProject({ format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Demo', nodes: [], edges: [] });

let dir: string;
let answers: { open?: string; save?: string; folder?: string };
let saves: boolean[];
let dirty: boolean[];
let recentSeen: RecentFile[][];

const deps = (): IpcDeps => ({
  showOpenDialog: async () => answers.open,
  showSaveDialog: async () => answers.save,
  showFolderDialog: async () => answers.folder,
  appInfo: () => ({ name: 'Wordloom', version: '0.0.0', platform: 'desktop', versions: {} }),
  recentFile: join(dir, 'recent.json'),
  onRecentChanged: (list) => recentSeen.push(list),
  onDirty: (d) => dirty.push(d),
  onSaveFinished: (saved) => saves.push(saved),
  now: () => new Date('2025-05-06T07:08:09Z'),
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-ipc-'));
  answers = {};
  saves = [];
  dirty = [];
  recentSeen = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IPC handlers', () => {
  it('registers one handler per channel', () => {
    const channels: string[] = [];
    registerHandlers({ handle: (channel) => void channels.push(channel) }, createHandlers(deps()), ['app://wordloom']);
    expect(channels.sort()).toEqual(Object.values(CHANNELS).sort());
  });

  it('Save As writes the file the dialog chose, then Save may write there again', async () => {
    const h = createHandlers(deps());
    const path = join(dir, 'demo.wordloom.json');
    answers.save = path;
    expect(await h.saveProjectAs({ project, suggestedName: 'Demo' })).toEqual({
      ok: true,
      value: { path, name: 'demo.wordloom.json' },
    });
    expect(await readFile(path, 'utf8')).toBe(serializeProject(project));
    const renamed = { ...project, graph: { ...project.graph, name: 'Renamed' } };
    expect((await h.saveProject({ path, project: renamed })).ok).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8')).graph.name).toBe('Renamed');
    expect(saves).toEqual([true, true]);
    expect(recentSeen.at(-1)?.map((f) => f.path)).toEqual([path]);
  });

  it('refuses to save to a path the user never chose, writing nothing', async () => {
    const h = createHandlers(deps());
    const target = join(dir, 'elsewhere.json');
    const r = await h.saveProject({ path: target, project });
    expect(!r.ok && r.error.code).toBe('not-allowed');
    expect(await readdir(dir)).toEqual([]);
    expect(saves).toEqual([false]);
  });

  it('refuses an invalid project and leaves the file on disk as it was', async () => {
    const h = createHandlers(deps());
    const path = join(dir, 'p.json');
    answers.save = path;
    await h.saveProjectAs({ project });
    const before = await readFile(path, 'utf8');
    const r = await h.saveProject({ path, project: { ...project, version: 99 } });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/invalid: .*newer Wordloom/) },
    });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('a cancelled Save As is not an error, and reports "not saved" (the close prompt stays open)', async () => {
    const h = createHandlers(deps());
    expect(await h.saveProjectAs({ project })).toEqual({ ok: true, value: null });
    expect(saves).toEqual([false]);
  });

  it('opens through the dialog, remembers the file, and reopens it from the recent list', async () => {
    const path = join(dir, 'x.wordloom.json');
    await writeFile(path, serializeProject(project));
    const h = createHandlers(deps());
    answers.open = path;
    const first = await h.openProject(undefined);
    expect(first.ok && first.value?.project.graph.name).toBe('Demo');
    expect(await h.recentProjects(undefined)).toEqual({
      ok: true,
      value: [{ path, name: 'x.wordloom.json', openedAt: '2025-05-06T07:08:09.000Z' }],
    });
    answers.open = undefined;
    // A fresh session (new handlers) reads the persisted list.
    const again = await createHandlers(deps()).openProject({ path });
    expect(again.ok && again.value?.name).toBe('x.wordloom.json');
  });

  it('will not open a path that is not in the recent list', async () => {
    const r = await createHandlers(deps()).openProject({ path: '/etc/passwd' });
    expect(!r.ok && r.error.code).toBe('not-allowed');
  });

  it('drops a recent file that no longer exists', async () => {
    const path = join(dir, 'gone.json');
    await writeFile(path, serializeProject(project));
    const h = createHandlers(deps());
    answers.open = path;
    await h.openProject(undefined);
    await rm(path);
    const r = await h.openProject({ path });
    expect(!r.ok && r.error.code).toBe('not-found');
    expect(await h.recentProjects(undefined)).toEqual({ ok: true, value: [] });
  });

  it('exports into a new folder inside the chosen one and refuses unsafe folder names', async () => {
    const h = createHandlers(deps());
    answers.folder = dir;
    const files = [{ name: 'model.json', data: '{}' }];
    expect(await h.exportFiles({ files, folderName: 'mini-gpt-tfjs' })).toEqual({
      ok: true,
      value: { dir: join(dir, 'mini-gpt-tfjs'), written: [join(dir, 'mini-gpt-tfjs', 'model.json')] },
    });
    expect((await h.exportFiles({ files, folderName: 'mini-gpt-tfjs' })).ok).toBe(false);
    for (const folderName of ['../up', 'a/b', '']) {
      const r = await h.exportFiles({ files, folderName });
      expect(!r.ok && r.error.code, folderName).toBe('bad-request');
    }
  });

  it('rejects malformed arguments with a bad-request result instead of throwing', async () => {
    const h = createHandlers(deps());
    expect(await h.setDirty('yes')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await h.saveProject({ project })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await h.exportFiles({ files: [{ name: 'a', data: 42 }], folderName: 'x' })).toMatchObject({ ok: false });
    expect(await h.setDirty(true)).toEqual({ ok: true, value: null });
    expect(dirty).toEqual([true]);
  });

  it('suggests a project file name from the graph name', () => {
    expect(projectFileName('Mini GPT')).toBe('Mini GPT.wordloom.json');
    expect(projectFileName('a/b:c')).toBe('a_b_c.wordloom.json');
    expect(projectFileName('kept.json')).toBe('kept.json');
    expect(projectFileName('  ')).toBe('Untitled.wordloom.json');
  });
});
