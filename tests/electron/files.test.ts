import * as nodeFs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../core/graph/model';
import { newProject, serializeProject } from '../../core/project/project';
import {
  atomicWrite,
  isSafeRelativeName,
  readProjectFile,
  writeExportFolder,
  type FileSystem,
} from '../../electron/files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errno = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });
const projectText = serializeProject(
  newProject({ format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Empty', nodes: [], edges: [] }),
);

/** A real fs whose file handles write the first half of the data and then fail, as a full disk does. */
const halfWritingFs = (): FileSystem => ({
  ...nodeFs,
  open: (async (...args: Parameters<typeof nodeFs.open>) => {
    const handle = await nodeFs.open(...args);
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop === 'writeFile') {
          return async (data: string | Uint8Array) => {
            const bytes = typeof data === 'string' ? Buffer.from(data) : data;
            await target.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
            throw errno('ENOSPC');
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }) as FileSystem['open'],
});

describe('atomicWrite', () => {
  it('creates a new file and replaces an existing one, leaving no temp file', async () => {
    const path = join(dir, 'a.wordloom.json');
    await atomicWrite(path, 'first');
    await atomicWrite(path, new TextEncoder().encode('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['a.wordloom.json']);
  });

  it('keeps the old file intact and removes the temp file when the disk fills up mid-write', async () => {
    const path = join(dir, 'p.json');
    await writeFile(path, 'old contents');
    await expect(atomicWrite(path, 'x'.repeat(10_000), halfWritingFs())).rejects.toThrow(/ENOSPC/);
    expect(await readFile(path, 'utf8')).toBe('old contents');
    expect(await readdir(dir)).toEqual(['p.json']);
  });

  it.each(['rename', 'open'] as const)('keeps the old file intact when %s fails', async (method) => {
    const path = join(dir, 'p.json');
    await writeFile(path, 'old contents');
    const failing: FileSystem = { ...nodeFs, [method]: async () => Promise.reject(errno('EIO')) };
    await expect(atomicWrite(path, 'new contents', failing)).rejects.toThrow(/EIO/);
    expect(await readFile(path, 'utf8')).toBe('old contents');
    expect(await readdir(dir)).toEqual(['p.json']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const path = join(dir, 'p.json');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    await atomicWrite(path, 'new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('fails, writing nothing, when the folder does not exist', async () => {
    await expect(atomicWrite(join(dir, 'missing', 'p.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readProjectFile', () => {
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('reads a project, naming it by its file', async () => {
    const r = await readProjectFile(await write('mine.wordloom.json', projectText));
    expect(r.ok && r.value.name).toBe('mine.wordloom.json');
    expect(r.ok && r.value.project.graph.name).toBe('Empty');
  });

  it('gives the line of a JSON error', async () => {
    const r = await readProjectFile(await write('bad.json', '{\n  "format": "wordloom-project",\n  oops\n}'));
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad-file', message: expect.stringMatching(/^bad\.json is not valid JSON: line 3, column 3/) },
    });
  });

  it('says a newer project is from a newer Wordloom', async () => {
    const r = await readProjectFile(await write('new.json', projectText.replace('"version": 1', '"version": 4')));
    expect(!r.ok && r.error.message).toBe(
      'new.json: This project was saved by a newer Wordloom (project version 4); this app reads up to 1.',
    );
  });

  it('refuses a file over the size limit before reading it', async () => {
    const r = await readProjectFile(await write('big.json', projectText), nodeFs, 100);
    expect(!r.ok && r.error).toEqual({
      code: 'too-large',
      message: expect.stringMatching(/^big\.json is 0\.0 MB; .* up to 0\.0 MB\.$/),
    });
  });

  it('reports a missing file and a folder clearly', async () => {
    expect(await readProjectFile(join(dir, 'gone.json'))).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'gone.json does not exist.' },
    });
    await mkdir(join(dir, 'folder.json'));
    expect(await readProjectFile(join(dir, 'folder.json'))).toMatchObject({ ok: false, error: { code: 'bad-file' } });
  });
});

describe('writeExportFolder', () => {
  const files = [
    { name: 'model.json', data: '{"format":"layers-model"}' },
    { name: 'weights.bin', data: new Uint8Array([1, 2, 3, 4]) },
    { name: 'tokenizer/vocab.json', data: '{}' },
  ];

  it('writes every file, creating the folder and subfolders', async () => {
    const out = join(dir, 'export');
    const r = await writeExportFolder(out, files);
    expect(r.ok).toBe(true);
    expect([...(await readFile(join(out, 'weights.bin')))]).toEqual([1, 2, 3, 4]);
    expect(await readFile(join(out, 'tokenizer', 'vocab.json'), 'utf8')).toBe('{}');
  });

  it('never overwrites: when one file exists it writes none and the existing file is unchanged', async () => {
    await writeFile(join(dir, 'weights.bin'), 'precious');
    const r = await writeExportFolder(dir, files);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'exists',
        message: expect.stringMatching(/already contains weights\.bin; nothing was overwritten/),
      },
    });
    expect(await readFile(join(dir, 'weights.bin'), 'utf8')).toBe('precious');
    expect((await readdir(dir)).sort()).toEqual(['weights.bin']);
  });

  it('does not overwrite a file that appears between the check and the write', async () => {
    const racy: FileSystem = { ...nodeFs, stat: async () => Promise.reject(errno('ENOENT')) };
    await writeFile(join(dir, 'model.json'), 'precious');
    const r = await writeExportFolder(dir, files, {}, racy);
    expect(!r.ok && r.error.code).toBe('exists');
    expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe('precious');
  });

  it('overwrites only when asked', async () => {
    await writeFile(join(dir, 'model.json'), 'old');
    expect((await writeExportFolder(dir, files, { overwrite: true })).ok).toBe(true);
    expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe('{"format":"layers-model"}');
  });

  it.each(['../escape.json', '/etc/passwd', 'a\\b.json', 'a//b', './x', '', 'x/../../y'])(
    'refuses the file name %j, writing nothing',
    async (name) => {
      const r = await writeExportFolder(join(dir, 'out'), [{ name, data: 'x' }]);
      expect(!r.ok && r.error.code).toBe('bad-request');
      expect(await readdir(dir)).toEqual([]);
      expect(isSafeRelativeName(name)).toBe(false);
    },
  );
});
