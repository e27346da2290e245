/**
 * Everything main does with the disk, as plain functions over an injectable fs so they are tested in Node
 * without Electron (tests/electron/files.test.ts). User-caused problems come back as Results; broken
 * invariants throw.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { MAX_PROJECT_BYTES } from '../core/project/schema';
import type { ErrorCode, ExportFile, OpenedProject, Result } from './api';

/**
 * The project codec validates graphs against the node catalog, which pulls in tf.js (megabytes). Loading it on
 * first use keeps it off the app's startup path; esbuild keeps the module in main.cjs but evaluates it lazily.
 */
export const loadProjectCodec = (): Promise<typeof import('../core/project/project')> =>
  import('../core/project/project');

export type FileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'rm' | 'stat' | 'readFile' | 'mkdir' | 'writeFile'>;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
});

const errnoCode = (err: unknown): string | undefined =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

/** One sentence for an fs error, naming the file. */
export function ioMessage(err: unknown, path: string, action: 'read' | 'save' | 'write'): string {
  const name = basename(path);
  switch (errnoCode(err)) {
    case 'ENOENT':
      return action === 'read' ? `${name} does not exist.` : `The folder for ${name} does not exist.`;
    case 'EACCES':
    case 'EPERM':
      return `Wordloom may not ${action} ${name} (permission denied).`;
    case 'EROFS':
      return `Cannot ${action} ${name}: the disk is read-only.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `Cannot ${action} ${name}: the disk is full.`;
    case 'EISDIR':
      return `${name} is a folder, not a file.`;
    default:
      return `Cannot ${action} ${name}: ${err instanceof Error ? err.message : String(err)}.`;
  }
}

/**
 * Replaces `path` with `data` so that a crash or a failed write at any point leaves either the old file or the
 * new one, never a mix: write a temp file in the same folder (same filesystem, so rename is atomic), fsync it,
 * rename it over the target, then fsync the folder so the rename itself survives a power cut.
 * On failure the temp file is removed and the error rethrown; the old file is untouched.
 */
export async function atomicWrite(path: string, data: Uint8Array | string, fs: FileSystem = nodeFs): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // Keep the permissions of the file we replace (a user may have made it read-only for the group, etc.).
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, path);
  } catch (err) {
    // Cleanup must not mask the original error: a close or rm failure here is secondary.
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(dir, fs);
}

async function syncFolder(dir: string, fs: FileSystem): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open or fsync a directory; the rename is already done, so only durability is weaker there.
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF'].includes(errnoCode(err) ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}

/** Reads and validates a project (or a bare graph) file: a size limit, JSON errors with line and column, then parseProject. */
export async function readProjectFile(
  path: string,
  fs: FileSystem = nodeFs,
  maxBytes = MAX_PROJECT_BYTES,
): Promise<Result<OpenedProject>> {
  const name = basename(path);
  let text: string;
  try {
    const info = await fs.stat(path);
    if (!info.isFile()) return fail('bad-file', `${name} is not a file.`);
    if (info.size > maxBytes) {
      const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return fail('too-large', `${name} is ${mb(info.size)}; Wordloom opens project files up to ${mb(maxBytes)}.`);
    }
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    return fail(errnoCode(err) === 'ENOENT' ? 'not-found' : 'io', ioMessage(err, path, 'read'));
  }
  const { parseProjectText } = await loadProjectCodec();
  const parsed = parseProjectText(text, name);
  if (!parsed.project) return fail('bad-file', parsed.error ?? `${name} is not a Wordloom project.`);
  return ok({ path, name, project: parsed.project, diagnostics: parsed.diagnostics });
}

/** Whether an export file name stays inside its folder: relative, `/`-separated, no `..`, no odd characters. */
export function isSafeRelativeName(name: string): boolean {
  if (name.length === 0 || name.length > 200 || isAbsolute(name) || name.includes('\\')) return false;
  const parts = name.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && /^[\w.\- ]+$/.test(p));
}

/**
 * Writes export files into `dir` (created if missing). Refuses, writing nothing, when any file already exists,
 * unless `overwrite` is set; each file is then replaced atomically.
 */
export async function writeExportFolder(
  dir: string,
  files: readonly ExportFile[],
  options: { overwrite?: boolean } = {},
  fs: FileSystem = nodeFs,
): Promise<Result<string[]>> {
  const bad = files.find((f) => !isSafeRelativeName(f.name));
  if (bad) return fail('bad-request', `Export file name "${bad.name}" is not a plain relative path.`);
  const names = new Set(files.map((f) => f.name));
  if (names.size !== files.length) return fail('bad-request', 'Export file names must be unique.');
  const targets = files.map((f) => ({ file: f, path: normalize(join(dir, ...f.name.split('/'))) }));
  if (!options.overwrite) {
    const existing: string[] = [];
    for (const t of targets) if (await exists(t.path, fs)) existing.push(t.file.name);
    if (existing.length > 0) {
      const list = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ` and ${existing.length - 3} more` : '');
      return fail('exists', `${basename(dir)} already contains ${list}; nothing was overwritten.`);
    }
  }
  const written: string[] = [];
  for (const t of targets) {
    try {
      await fs.mkdir(dirname(t.path), { recursive: true });
      // 'wx' fails if the file appeared since the check above, so a race cannot overwrite either.
      if (options.overwrite) await atomicWrite(t.path, t.file.data, fs);
      else await fs.writeFile(t.path, t.file.data, { flag: 'wx' });
    } catch (err) {
      if (errnoCode(err) === 'EEXIST')
        return fail('exists', `${t.file.name} appeared in ${basename(dir)} during the export; it was not overwritten.`);
      return fail('io', ioMessage(err, t.path, 'write'));
    }
    written.push(t.path);
  }
  return ok(written);
}

const exists = (path: string, fs: FileSystem): Promise<boolean> =>
  fs.stat(path).then(
    () => true,
    (err: unknown) => {
      if (errnoCode(err) === 'ENOENT') return false;
      throw err;
    },
  );

/** `a/b` is inside `a`: used to keep paths below a root. */
export const isInside = (root: string, path: string): boolean => {
  const r = normalize(root).replace(/[\\/]+$/, '') + sep;
  return normalize(path).startsWith(r);
};
