import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import {
  CONTENT_SECURITY_POLICY,
  CROSS_ORIGIN_ISOLATION_HEADERS,
  appResponseHeaders,
  devContentSecurityPolicy,
} from './electron/csp.js';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const DEV_PORT = 5173;
const PREVIEW_PORT = 4173;
const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;

/**
 * index.html carries the production policy verbatim. A build fails if it drifts from electron/csp.ts;
 * the dev server swaps in the relaxed dev policy (Fast Refresh's inline preamble, the HMR websocket).
 */
const contentSecurityPolicy = (): Plugin => ({
  name: 'wordloom:csp',
  transformIndexHtml: {
    order: 'pre',
    handler(html, ctx) {
      const match = CSP_META.exec(html);
      if (!match) throw new Error('renderer/index.html lost its Content-Security-Policy <meta>.');
      if (ctx.server) {
        const origin = `http://localhost:${ctx.server.config.server.port ?? DEV_PORT}`;
        return html.replace(CSP_META, `$1${devContentSecurityPolicy(origin)}$3`);
      }
      if (match[2] !== CONTENT_SECURITY_POLICY) {
        throw new Error(`renderer/index.html's CSP differs from electron/csp.ts; expected: ${CONTENT_SECURITY_POLICY}`);
      }
      return html;
    },
  },
});

/**
 * `vite preview` answers like Electron's app:// protocol: the same CSP header (the worker's own policy on worker
 * scripts) and cross-origin isolation, so e2e tests run the build under the headers the desktop app sends.
 * The dev server only adds isolation (its relaxed policy is in the <meta>).
 */
const appHeaders = (): Plugin => ({
  name: 'wordloom:headers',
  configureServer(server) {
    server.middlewares.use((_req, res, next) => {
      for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) res.setHeader(name, value);
      next();
    });
  },
  configurePreviewServer(server) {
    server.middlewares.use((req, res, next) => {
      for (const [name, value] of Object.entries(appResponseHeaders(req.url ?? '/'))) res.setHeader(name, value);
      next();
    });
  },
});

/**
 * tf.js' threaded wasm backend starts each pool thread from a blob: that holds `factory.toString()`. Once the
 * bundler has wrapped that CommonJS factory and minified it, the function refers to names of the wrapper (`e`,
 * `t`) that do not exist in the blob, and every thread dies with "e is not defined". The blob gets the factory's
 * own file instead, byte for byte as tf.js ships it (it defines the same global and guards its exports).
 */
const THREADED_FACTORY = createRequire(import.meta.url).resolve(
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
);
const BLOB_SOURCE = /`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)/;
const wasmThreadsBlob = (): Plugin => ({
  name: 'wordloom:wasm-threads-blob',
  enforce: 'pre',
  transform(code, id) {
    if (!id.replace(/\\/g, '/').endsWith('/@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js')) return null;
    if (!BLOB_SOURCE.test(code))
      throw new Error('tfjs-backend-wasm no longer builds its thread blob from toString(); revisit wasmThreadsBlob.');
    const source = JSON.stringify(`${THREADED_FACTORY}?raw`);
    return `import __wordloomThreadedFactory from ${source};\n${code.replace(BLOB_SOURCE, '__wordloomThreadedFactory')}`;
  },
});

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs, so the same build loads from Electron's app:// protocol, a file:// URL or any web path.
  base: './',
  plugins: [react(), contentSecurityPolicy(), appHeaders()],
  define: { __WORDLOOM_VERSION__: JSON.stringify(version) },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // tf.js is large by nature; don't warn about a chunk we cannot split below it.
    chunkSizeWarningLimit: 4096,
  },
  // Workers are bundled apart from the page, with their own plugins.
  worker: { format: 'es', plugins: () => [wasmThreadsBlob()] },
  server: {
    port: DEV_PORT,
    strictPort: true,
    // The renderer imports from core/ and templates/, which sit beside renderer/ (the Vite root).
    fs: { allow: [repoRoot] },
  },
  preview: { port: PREVIEW_PORT, strictPort: true },
});
