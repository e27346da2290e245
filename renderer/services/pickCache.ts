/**
 * The backend checks the training worker remembers, in IndexedDB (workers have no localStorage): one record per
 * machine and model shape, so a model's check costs seconds once, not at every run. Failures to open or write
 * the store only cost a re-check.
 */
import type { BackendReport } from '../../core/worker/protocol';
import type { PickCache } from '../../core/worker/host';

const DB = 'wordloom-backend-picks';
const STORE = 'picks';
/** Older picks are dropped beyond this many (each is a few hundred bytes). */
const KEEP = 50;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB did not open'));
  });
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export function indexedDbPickCache(): PickCache {
  let db: Promise<IDBDatabase> | undefined;
  const store = async (mode: IDBTransactionMode): Promise<IDBObjectStore> =>
    (await (db ??= open())).transaction(STORE, mode).objectStore(STORE);
  return {
    async get(key) {
      const value: unknown = await done((await store('readonly')).get(key));
      return value && typeof value === 'object' ? (value as BackendReport) : undefined;
    },
    async set(key, report) {
      const s = await store('readwrite');
      await done(s.put(report, key));
      const keys = await done(s.getAllKeys());
      if (keys.length > KEEP) {
        const all = (await done(s.getAll())) as BackendReport[];
        all.sort((a, b) => (a.measuredAt < b.measuredAt ? -1 : 1));
        for (const old of all.slice(0, all.length - KEEP)) s.delete(old.key);
      }
    },
  };
}
