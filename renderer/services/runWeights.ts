/**
 * Where trained weights live between sessions. The project file keeps each run's manifest and curves, and a
 * `weightsRef` naming the files (run.json, tokenizer.json, model.json, weights.bin) kept here: in the browser's
 * IndexedDB, keyed by project and run id. Weights never go into the project JSON.
 */
import type { RunFiles } from '../../core/run/files';

export interface RunWeights {
  put(ref: string, files: RunFiles): Promise<void>;
  /** The files, or undefined when nothing is kept under `ref` (another browser, cleared storage). */
  get(ref: string): Promise<RunFiles | undefined>;
}

const DB_NAME = 'wordloom-runs';
const STORE = 'weights';

/** The key a run's weights are kept under: the project's name and the run id. */
export const weightsRefFor = (projectName: string, runId: string): string => `indexeddb:${projectName}/${runId}`;

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed.'));
  });

function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  const r = factory.open(DB_NAME, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r);
}

const isRunFiles = (v: unknown): v is RunFiles =>
  typeof v === 'object' && v !== null && Object.values(v).every((f) => f instanceof Uint8Array);

export function indexedDbRunWeights(factory: IDBFactory = indexedDB): RunWeights {
  let db: Promise<IDBDatabase> | undefined;
  const tx = async (mode: IDBTransactionMode): Promise<IDBObjectStore> =>
    (await (db ??= openDb(factory))).transaction(STORE, mode).objectStore(STORE);
  return {
    async put(ref, files) {
      await request((await tx('readwrite')).put(files, ref));
    },
    async get(ref) {
      const value: unknown = await request((await tx('readonly')).get(ref));
      return isRunFiles(value) ? value : undefined;
    },
  };
}
