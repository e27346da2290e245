/**
 * How the exported module reads its folder: over fetch for URLs (browsers, or http in Node), from
 * disk for paths and file: URLs in Node, or from bytes the caller already has. This code only ever
 * runs inside the exported wordloom-model.js (esbuild inlines it; the app never imports it), so it
 * may reach Node's fs, but through a computed specifier: a bundler packing the export for a web page
 * must not try to resolve node:fs, and the browser path never reaches it.
 */
import { decodeUtf8 } from '../../data/utf8';

/** A folder path or URL (string or URL object), or the files themselves by name. */
export type ModelSource = string | { href: string } | { files: Record<string, Uint8Array> };

export type ReadFile = (name: string) => Promise<Uint8Array>;

interface FetchResponse {
  ok: boolean;
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}
type FetchFn = (url: string) => Promise<FetchResponse>;
const isFetch = (x: unknown): x is FetchFn => typeof x === 'function';

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
}
const isNodeFs = (x: unknown): x is NodeFs =>
  typeof x === 'object' && x !== null && typeof Reflect.get(x, 'readFile') === 'function';
interface NodeUrl {
  fileURLToPath(url: string): string;
}
const isNodeUrl = (x: unknown): x is NodeUrl =>
  typeof x === 'object' && x !== null && typeof Reflect.get(x, 'fileURLToPath') === 'function';

function inNode(): boolean {
  const proc: unknown = Reflect.get(globalThis, 'process');
  const versions: unknown = typeof proc === 'object' && proc !== null ? Reflect.get(proc, 'versions') : undefined;
  return typeof versions === 'object' && versions !== null && typeof Reflect.get(versions, 'node') === 'string';
}

const NODE_FS = 'node:fs/promises';
const NODE_URL = 'node:url';

async function nodeReader(dir: string): Promise<ReadFile> {
  const fs: unknown = await import(/* @vite-ignore */ NODE_FS);
  if (!isNodeFs(fs)) throw new Error('node:fs/promises has no readFile.');
  let base = dir;
  if (dir.startsWith('file:')) {
    const url: unknown = await import(/* @vite-ignore */ NODE_URL);
    if (!isNodeUrl(url)) throw new Error('node:url has no fileURLToPath.');
    base = url.fileURLToPath(dir);
  }
  return async (name) => {
    try {
      return new Uint8Array(await fs.readFile(`${base.replace(/[\\/]+$/, '')}/${name}`));
    } catch {
      throw new Error(`Cannot read ${name} in ${dir}; is it a Wordloom tf.js export folder?`);
    }
  };
}

function fetchReader(base: string): ReadFile {
  const fetchFn: unknown = Reflect.get(globalThis, 'fetch');
  if (!isFetch(fetchFn)) throw new Error('This environment has no fetch; pass the files with load({ files }).');
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return async (name) => {
    const res = await fetchFn(`${prefix}${name}`);
    if (!res.ok) throw new Error(`Cannot load ${prefix}${name} (HTTP ${res.status}).`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

/** A reader of the named files in `source`. */
export async function fileReader(source: ModelSource): Promise<ReadFile> {
  if (typeof source === 'object' && 'files' in source) {
    const files = source.files;
    return async (name) => {
      const bytes = files[name];
      if (!bytes) throw new Error(`The files passed to load() have no ${name}.`);
      return bytes;
    };
  }
  const where = typeof source === 'string' ? source : source.href;
  if (inNode() && !/^https?:/i.test(where)) return nodeReader(where);
  return fetchReader(where);
}

/** A file's bytes parsed as JSON; one sentence naming the file when it is not. */
export async function readJson(read: ReadFile, name: string): Promise<unknown> {
  const text = decodeUtf8(await read(name), true);
  if (!text.ok) throw new Error(`${name} is not UTF-8 text.`);
  try {
    return JSON.parse(text.text);
  } catch {
    throw new Error(`${name} is not valid JSON.`);
  }
}
