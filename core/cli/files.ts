import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { displayText } from '../graph/display';
import { UserError } from './errors';

/** Graph files are small; a bigger one is a mistake (a data file passed as the graph), not a graph. */
export const MAX_GRAPH_BYTES = 64 * 1024 * 1024;

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** What `path` is on disk, or one sentence saying it is not there or cannot be read. */
export function statPath(path: string, missing?: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const shown = displayText(path);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(missing ?? `There is no file "${shown}".`);
    if (code === 'EACCES') throw new UserError(`Cannot read "${shown}": permission denied.`);
    throw new UserError(`Cannot read "${shown}" (${code || 'unknown error'}).`);
  }
}

/**
 * Checks that `path` is a regular file (not a folder, FIFO, socket or device, which would hang or
 * fail a read), or also a folder when `folderOk`. `what` names it in the sentence ("graph file").
 */
export function checkPathKind(path: string, what: string, folderOk = false): Stats {
  const shown = displayText(path);
  const st = statPath(path, folderOk ? `${shown} does not exist.` : undefined);
  if (st.isDirectory()) {
    if (folderOk) return st;
    throw new UserError(`"${shown}" is a folder, not a ${what}.`);
  }
  if (!st.isFile()) throw new UserError(`"${shown}" is not a regular file (a FIFO, socket or device); name a ${what}.`);
  return st;
}

/**
 * A text file's contents (a leading UTF-8 BOM dropped, as the app does), or one sentence saying
 * why it cannot be read. Reads through the descriptor it checked, so a file swapped for a FIFO
 * between the check and the read cannot hang the CLI.
 */
export function readText(file: string, what = 'graph file', maxBytes = MAX_GRAPH_BYTES): string {
  checkPathKind(file, what);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`"${displayText(file)}" is not a regular file; name a ${what}.`);
    if (st.size > maxBytes)
      throw new UserError(`"${displayText(file)}" is ${mb(st.size)}; a ${what} over ${mb(maxBytes)} is not read.`);
    const bytes = Buffer.alloc(st.size);
    let n = 0;
    while (n < bytes.length) {
      const got = readSync(fd, bytes, n, bytes.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return bytes.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    throw new UserError(`Cannot read "${displayText(file)}" (${code || 'unknown error'}).`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
