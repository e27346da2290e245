import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { displayText } from '../graph/display';
import { MAX_BUNDLE_BYTES, MAX_RUN_FILE_BYTES, RUN_FILE_NAMES, RunFileError, unpackBundle, type RunFiles } from '../run/files';

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(0)} MB`;

/** A regular file's bytes, read through the descriptor that was checked (no FIFO, no device), at most `max`. */
function readRegularFile(path: string, max: number, what: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new RunFileError(`${displayText(path)} is not a regular file.`);
    if (st.size > max) throw new RunFileError(`${displayText(path)} is ${mb(st.size)}; a ${what} over ${mb(max)} is not read.`);
    const bytes = new Uint8Array(st.size);
    let n = 0;
    while (n < bytes.length) {
      const got = readSync(fd, bytes, n, bytes.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return bytes.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a run from a run directory or a `.wordloom` bundle file. Only the run's own files are read
 * (anything else in the folder is ignored), each a regular file under a size limit.
 */
export function readRun(path: string): RunFiles {
  const shown = displayText(path);
  if (!existsSync(path)) throw new RunFileError(`${shown} does not exist.`);
  const st = statSync(path);
  if (st.isFile()) return unpackBundle(readRegularFile(path, MAX_BUNDLE_BYTES, 'bundle'), shown);
  if (!st.isDirectory())
    throw new RunFileError(`${shown} is not a regular file (a FIFO, socket or device); name a run directory or a .wordloom bundle.`);
  const files: RunFiles = Object.create(null) as RunFiles;
  const present = new Set(readdirSync(path));
  for (const name of RUN_FILE_NAMES) {
    if (!present.has(name)) continue;
    const p = join(path, name);
    if (!statSync(p).isFile()) throw new RunFileError(`${displayText(p)} is not a regular file.`);
    files[name] = readRegularFile(p, MAX_RUN_FILE_BYTES, 'run file');
  }
  return files;
}

/** The folder a run is saved to, without trailing slashes; its last part is the run's id. */
export function runDirOf(out: string): { dir: string; id: string } {
  const dir = out.length > 1 ? out.replace(/[\\/]+$/, '') || out : out;
  return { dir, id: basename(resolve(dir)) };
}

/**
 * Checks before training that saving to `dir` loses nothing: a missing or empty folder is fine,
 * anything else needs `force`. Throws RunFileError with one sentence.
 */
export function checkRunDirFree(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  const shown = displayText(dir);
  if (!statSync(dir).isDirectory()) throw new RunFileError(`--out ${shown} is a file, not a folder.`);
  if (!force && readdirSync(dir).length > 0)
    throw new RunFileError(`${shown} already exists; pass --force to replace it, or pick another --out.`);
}

let counter = 0;
const sibling = (dir: string, tag: string): string =>
  join(dirname(resolve(dir)), `.${basename(resolve(dir))}.${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}`);

/**
 * Writes a run's files as the folder `dir`, atomically: into a temporary folder beside it, then
 * renamed into place (the old folder moved aside first and removed last). A run killed mid-save
 * leaves the old folder or the new one whole, never a mix; at worst a dot-folder beside it.
 */
export function writeRunDir(dir: string, files: RunFiles): void {
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const tmp = sibling(dir, 'tmp');
  try {
    mkdirSync(tmp);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(tmp, name), bytes);
    if (existsSync(dir)) {
      const old = sibling(dir, 'old');
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
