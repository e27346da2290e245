/**
 * Trained runs on the desktop: each run's files (run.json, tokenizer.json, model.json, weights.bin) live in a
 * folder next to the project file, `<project file name>.runs/<run id>/`. The renderer names only the project (a path
 * the user chose in a dialog) and a run id; main builds every path, so a page cannot reach anywhere else.
 */
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { Result } from './api';
import { atomicWrite, fail, ioMessage, ok, type FileSystem } from './files';

/** The only files a run folder holds. */
export const RUN_FILE_NAMES = ['run.json', 'tokenizer.json', 'model.json', 'weights.bin'] as const;
/** Far above any model this app trains in a browser, and below what would hang main reading it back. */
export const MAX_RUN_BYTES = 1024 * 1024 * 1024;

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'letters, digits, - and _ only');
const runFiles = z
  .partialRecord(z.enum(RUN_FILE_NAMES), z.instanceof(Uint8Array))
  .refine((f) => Object.values(f).reduce((n, b) => n + (b?.byteLength ?? 0), 0) <= MAX_RUN_BYTES, 'at most 1 GB');

export const saveRunArgs = z.object({ projectPath: z.string().min(1), runId, files: runFiles });
export const loadRunArgs = z.object({ projectPath: z.string().min(1), runId });

/**
 * `/a/b/demo.wordloom.json` + `run-1` → `/a/b/demo.wordloom.json.runs/run-1`: the whole file name, so `demo.json` and
 * `demo.wordloom.json` side by side keep their runs apart.
 */
export function runFolderFor(projectPath: string, id: string): string {
  return join(dirname(projectPath), `${basename(projectPath)}.runs`, id);
}

/**
 * Where earlier builds kept a run: the file name without `.json` and `.wordloom` (`demo.runs/run-1`), shared by
 * `demo.json` and `demo.wordloom.json`. Read only, as a fallback; run ids are unique, so a run found there is this one.
 */
export function legacyRunFolderFor(projectPath: string, id: string): string {
  const stem =
    basename(projectPath)
      .replace(/\.json$/i, '')
      .replace(/\.wordloom$/i, '') || 'project';
  return join(dirname(projectPath), `${stem}.runs`, id);
}

/** Writes each file atomically into the run's folder (created if missing). */
export async function writeRunFolder(
  projectPath: string,
  id: string,
  files: Partial<Record<(typeof RUN_FILE_NAMES)[number], Uint8Array>>,
  fs: FileSystem = nodeFs,
): Promise<Result<{ dir: string }>> {
  const dir = runFolderFor(projectPath, id);
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const [name, data] of Object.entries(files)) if (data) await atomicWrite(join(dir, name), data, fs);
  } catch (err) {
    return fail('io', ioMessage(err, dir, 'write'));
  }
  return ok({ dir });
}

/**
 * The run's files, or null when the folder is not there (the project was moved without it). A run found only in its
 * older folder (legacyRunFolderFor) is read from there and copied into the new one; if the copy fails the files
 * are still returned and the old folder, left as it was, keeps serving later reads.
 */
export async function readRunFolder(
  projectPath: string,
  id: string,
  fs: FileSystem = nodeFs,
  maxBytes = MAX_RUN_BYTES,
): Promise<Result<Record<string, Uint8Array> | null>> {
  const current = await readRunFiles(runFolderFor(projectPath, id), fs, maxBytes);
  if (!current.ok || current.value !== null) return current;
  const legacy = await readRunFiles(legacyRunFolderFor(projectPath, id), fs, maxBytes);
  if (legacy.ok && legacy.value !== null) await writeRunFolder(projectPath, id, legacy.value, fs);
  return legacy;
}

const formatBytes = (n: number): string =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${n} bytes`;
const tooLarge = (dir: string, name: string, total: number, maxBytes: number): string =>
  `${basename(dirname(dir))}/${basename(dir)}/${name} brings the run to ${formatBytes(total)}; Wordloom reads runs of up to ${formatBytes(maxBytes)}.`;

/** Reads the run files present in `dir`, refusing (before reading it) any that would take the run past `maxBytes`. */
async function readRunFiles(
  dir: string,
  fs: FileSystem,
  maxBytes: number,
): Promise<Result<Record<string, Uint8Array> | null>> {
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  for (const name of RUN_FILE_NAMES) {
    const path = join(dir, name);
    let handle: nodeFs.FileHandle | undefined;
    try {
      // Size and bytes come from one open file: the file checked is the file read, even if the path is swapped.
      handle = await fs.open(path, 'r');
      const { size } = await handle.stat();
      if (total + size > maxBytes) return fail('too-large', tooLarge(dir, name, total + size, maxBytes));
      const bytes = new Uint8Array(await handle.readFile());
      total += bytes.byteLength; // the file may have grown since stat
      if (total > maxBytes) return fail('too-large', tooLarge(dir, name, total, maxBytes));
      files[name] = bytes;
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') continue;
      return fail('io', ioMessage(err, path, 'read'));
    } finally {
      await handle?.close();
    }
  }
  return ok(Object.keys(files).length ? files : null);
}
