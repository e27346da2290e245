import { readRun } from '../node/run-dir';
import { loadRun, type LoadedRun } from '../run/load';
import { startNodeBackend } from '../node/backend';
import { UserError } from './errors';

/** Opens `<run-dir>` or a `.wordloom` bundle for predict/generate/export (cpu backend: inference is small). */
export async function openRunArg(path: string | undefined, usage: string): Promise<LoadedRun> {
  if (path === undefined) throw new UserError(`Name a run directory or .wordloom bundle (usage: ${usage}).`);
  await startNodeBackend('cpu');
  return loadRun(readRun(path), path);
}
