import { strFromU8 } from 'fflate';
import { packBundle, RunFileError, type RunFiles } from '../run/files';
import { slug } from './tfjs/index';

/** A run as one `<name>.wordloom` file (a zip with a marker entry) that every command reads like a run directory. */
export function exportBundle(files: RunFiles): Record<string, Uint8Array> {
  return { [`${bundleName(files)}.wordloom`]: packBundle(files) };
}

/** The run's name from run.json, made safe for a file name. */
function bundleName(files: RunFiles): string {
  const bytes = files['run.json'];
  if (!bytes) throw new RunFileError('This run has no run.json; is it a Wordloom run?');
  let name: unknown;
  try {
    const manifest: unknown = JSON.parse(strFromU8(bytes));
    name = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'name') : undefined;
  } catch {
    throw new RunFileError('run.json is not valid JSON.');
  }
  return (typeof name === 'string' && slug(name)) || 'run';
}
