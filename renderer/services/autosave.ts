/**
 * Crash-recovery copies of the last few projects in localStorage (both platforms; the page's own origin). Each
 * open document has its own slot (by document id), so starting a new project never overwrites the previous one.
 */
import { parseProjectText, serializeProject, type Project } from '../../core/project/project';
import type { OpenedDocument } from './platform';

const KEY = 'wordloom:autosaves';
/** The single copy earlier builds kept; still offered until a newer autosave replaces the list. */
const LEGACY_KEY = 'wordloom:autosave';
/** How many recent projects are kept. */
export const AUTOSAVE_SLOTS = 5;

interface Stored {
  id: string;
  name: string;
  savedAt: string;
  text: string;
}

/** A recovered project with when it was last autosaved (the start screen lists these, newest first). */
export interface AutosavedDocument extends OpenedDocument {
  id: string;
  savedAt: string;
}

const isStored = (v: unknown): v is Stored =>
  typeof v === 'object' &&
  v !== null &&
  'id' in v &&
  typeof v.id === 'string' &&
  'name' in v &&
  typeof v.name === 'string' &&
  'savedAt' in v &&
  typeof v.savedAt === 'string' &&
  'text' in v &&
  typeof v.text === 'string';

function readList(storage: Storage): Stored[] {
  const raw = storage.getItem(KEY);
  let data: unknown;
  try {
    data = raw === null ? [] : JSON.parse(raw);
  } catch {
    return [];
  }
  const list = Array.isArray(data) ? data.filter(isStored) : [];
  if (list.length > 0 || raw !== null) return list;
  // An autosave from a build that kept one copy: offered as the only entry.
  const legacy = storage.getItem(LEGACY_KEY);
  if (legacy === null) return [];
  try {
    const old: unknown = JSON.parse(legacy);
    if (typeof old === 'object' && old !== null && isStored({ id: 'legacy', ...old }))
      return [{ id: 'legacy', ...(old as Omit<Stored, 'id'>) }];
  } catch {
    // unreadable: nothing to offer
  }
  return [];
}

/**
 * Stores `project` in slot `id` (newest first, at most AUTOSAVE_SLOTS). When storage is full the oldest copies
 * go first; returns false when even this one does not fit, or storage is disabled: autosave is a convenience,
 * never a reason to interrupt the user.
 */
export function writeAutosave(storage: Storage, id: string, project: Project, name: string, now = new Date()): boolean {
  const entry: Stored = { id, name, savedAt: now.toISOString(), text: serializeProject(project) };
  const list = [entry, ...readList(storage).filter((s) => s.id !== id)].slice(0, AUTOSAVE_SLOTS);
  for (let keep = list.length; keep >= 1; keep--) {
    try {
      storage.setItem(KEY, JSON.stringify(list.slice(0, keep)));
      storage.removeItem(LEGACY_KEY);
      return true;
    } catch {
      // QuotaExceededError (drop the oldest and try again) or storage disabled (private mode)
    }
  }
  return false;
}

/** The recovered projects, newest first; entries that no longer parse are skipped. */
export function readAutosaves(storage: Storage): AutosavedDocument[] {
  return readList(storage).flatMap((s) => {
    const parsed = parseProjectText(s.text, s.name);
    return parsed.project
      ? [{ id: s.id, savedAt: s.savedAt, handle: { name: s.name }, project: parsed.project, diagnostics: parsed.diagnostics }]
      : [];
  });
}

export const clearAutosave = (storage: Storage): void => {
  storage.removeItem(KEY);
  storage.removeItem(LEGACY_KEY);
};
