/** The Open Recent list, kept as JSON in the user-data folder. */
import * as nodeFs from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { RecentFile } from './api';
import { atomicWrite, type FileSystem } from './files';

export const MAX_RECENT = 10;

const recentSchema = z.object({
  version: z.literal(1),
  files: z.array(z.object({ path: z.string().min(1), name: z.string(), openedAt: z.string() })),
});

/** Moves `path` to the front (most recent first), without duplicates, at most MAX_RECENT entries. */
export const addRecent = (list: readonly RecentFile[], path: string, now: Date): RecentFile[] =>
  [{ path, name: basename(path), openedAt: now.toISOString() }, ...list.filter((f) => f.path !== path)].slice(
    0,
    MAX_RECENT,
  );

export const removeRecent = (list: readonly RecentFile[], path: string): RecentFile[] =>
  list.filter((f) => f.path !== path);

/**
 * The saved list, or an empty one when there is none yet. A corrupt list file is not the user's problem
 * and not worth a dialog: it is ignored and replaced on the next save.
 */
export async function loadRecent(file: string, fs: FileSystem = nodeFs): Promise<RecentFile[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return [];
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const parsed = recentSchema.safeParse(data);
  return parsed.success ? parsed.data.files.slice(0, MAX_RECENT) : [];
}

export const saveRecent = (file: string, list: readonly RecentFile[], fs: FileSystem = nodeFs): Promise<void> =>
  atomicWrite(file, `${JSON.stringify({ version: 1, files: list }, null, 2)}\n`, fs);
