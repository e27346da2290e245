import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFileError, unpackBundle, type RunFiles } from '../run/files';

/** Reads a run from a run directory or a `.wordloom` bundle file. */
export function readRun(path: string): RunFiles {
  if (!existsSync(path)) throw new RunFileError(`${path} does not exist.`);
  if (statSync(path).isFile()) return unpackBundle(new Uint8Array(readFileSync(path)), path);
  const files: RunFiles = {};
  for (const name of readdirSync(path)) {
    const p = join(path, name);
    if (statSync(p).isFile()) files[name] = new Uint8Array(readFileSync(p));
  }
  return files;
}

/** Writes a run's files into `dir` (created if needed). */
export function writeRunDir(dir: string, files: RunFiles): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}
