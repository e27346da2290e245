/** A crash-recovery copy of the open project in localStorage (both platforms; the page's own origin). */
import { parseProjectText, serializeProject, type Project } from '../../core/project/project';
import type { OpenedDocument } from './platform';

const KEY = 'wordloom:autosave';

interface Stored {
  name: string;
  savedAt: string;
  text: string;
}

const isStored = (v: unknown): v is Stored =>
  typeof v === 'object' &&
  v !== null &&
  'name' in v &&
  typeof v.name === 'string' &&
  'savedAt' in v &&
  typeof v.savedAt === 'string' &&
  'text' in v &&
  typeof v.text === 'string';

/** Returns false when storage is full or disabled: autosave is a convenience, never a reason to interrupt the user. */
export function writeAutosave(storage: Storage, project: Project, name: string, now = new Date()): boolean {
  const stored: Stored = { name, savedAt: now.toISOString(), text: serializeProject(project) };
  try {
    storage.setItem(KEY, JSON.stringify(stored));
    return true;
  } catch {
    return false; // QuotaExceededError or storage disabled (private mode)
  }
}

export function readAutosave(storage: Storage): OpenedDocument | undefined {
  const raw = storage.getItem(KEY);
  if (raw === null) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isStored(data)) return undefined;
  const parsed = parseProjectText(data.text, data.name);
  return parsed.project
    ? { handle: { name: data.name }, project: parsed.project, diagnostics: parsed.diagnostics }
    : undefined;
}

export const clearAutosave = (storage: Storage): void => storage.removeItem(KEY);
