import { readFile } from 'node:fs/promises';
import { UserError } from './errors';

/** A text file's contents, or one sentence saying why it cannot be read. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code === 'ENOENT') throw new UserError(`There is no file "${file}".`);
    if (code === 'EISDIR') throw new UserError(`"${file}" is a folder, not a graph file.`);
    if (code === 'EACCES') throw new UserError(`Cannot read "${file}": permission denied.`);
    throw new UserError(`Cannot read "${file}" (${code || 'unknown error'}).`);
  }
}
