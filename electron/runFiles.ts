/**
 * Trained runs on the desktop: each run's files (run.json, tokenizer.json, model.json, weights.bin) live in a
 * folder next to the project file, `<project>.runs/<run id>/`. The renderer names only the project (a path the
 * user chose in a dialog) and a run id; main builds every path, so a page cannot reach anywhere else.
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

/** `/a/b/demo.wordloom.json` + `run-1` → `/a/b/demo.runs/run-1`. */
export function runFolderFor(projectPath: string, id: string): string {
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

/** The run's files, or null when the folder is not there (the project was moved without it). */
export async function readRunFolder(
  projectPath: string,
  id: string,
  fs: FileSystem = nodeFs,
): Promise<Result<Record<string, Uint8Array> | null>> {
  const dir = runFolderFor(projectPath, id);
  const files: Record<string, Uint8Array> = {};
  for (const name of RUN_FILE_NAMES) {
    try {
      files[name] = new Uint8Array(await fs.readFile(join(dir, name)));
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') continue;
      return fail('io', ioMessage(err, join(dir, name), 'read'));
    }
  }
  return ok(Object.keys(files).length ? files : null);
}
