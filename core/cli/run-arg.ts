import { readRun } from '../host-node/run-dir';
import { loadRun, type LoadedRun } from '../run/load';
import { startNodeBackend } from '../host-node/backend';
import { UserError } from './errors';
import { checkPathKind } from './files';
import { displayText } from '../graph/display';

/** Opens `<run-dir>` or a `.wordloom` bundle for predict/generate/export (cpu backend: inference is small). */
export async function openRunArg(path: string | undefined, usage: string): Promise<LoadedRun> {
  if (path === undefined) throw new UserError(`Name a run directory or .wordloom bundle (usage: ${usage}).`);
  checkPathKind(path, 'run directory or .wordloom bundle', true);
  await startNodeBackend('cpu');
  const where = displayText(path);
  return loadRun(readRun(path), where);
}
