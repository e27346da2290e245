/**
 * The built renderer is served from `app://wordloom/` rather than file:// (Electron security checklist: "Use a
 * custom protocol instead of file://"): pages get a real origin, so CSP 'self', fetch() of tf.js' .wasm files and
 * module workers behave as on the web, and no other file on disk is reachable from the page.
 */
import { extname, join, normalize } from 'node:path';
import { isInside } from './files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wordloom';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.instantiateStreaming requires exactly this type
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export const mimeType = (path: string): string => MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';

/** The file under `distDir` that an app:// URL names, or undefined for another host or a path that leaves distDir. */
export function resolveAppFile(distDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(distDir, relative));
  return isInside(distDir, file) ? file : undefined;
}
