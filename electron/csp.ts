/**
 * The one Content-Security-Policy of the app. renderer/index.html carries it as a <meta> (a test checks they match),
 * main adds it as a response header, and the Vite dev server relaxes it only while serving (`devContentSecurityPolicy`).
 *
 * - script-src 'wasm-unsafe-eval': tf.js' wasm backend compiles WebAssembly (and the webgl backend's helpers may too);
 *   this allows WebAssembly.compile/instantiate only, not eval() or new Function().
 * - worker-src blob: — training runs in a Web Worker; some bundlers and tf.js backends start workers from blob: URLs.
 * - style-src 'unsafe-inline' — React Flow and uPlot set inline styles on elements.
 * - img-src data: blob: — exported charts and canvas snapshots.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self' blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

const join = (directives: ReadonlyArray<readonly [string, string]>): string =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ');

/** The production policy: no inline scripts, no eval, same-origin network only. This exact text is index.html's <meta>. */
export const CONTENT_SECURITY_POLICY = join(CSP_DIRECTIVES);

/** As a response header the policy can also forbid framing (browsers ignore, and warn about, frame-ancestors in a <meta>). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * The policy while `vite` serves the UI: React Fast Refresh injects one inline module script and the HMR client
 * opens a websocket to the dev server. Never used by a build.
 */
export const devContentSecurityPolicy = (devOrigin: string, forWorker = false): string => {
  const ws = devOrigin.replace(/^http/, 'ws');
  return join(
    CSP_DIRECTIVES.map(([name, value]): [string, string] => {
      if (name === 'script-src') return [name, `${value} 'unsafe-inline'${forWorker ? ' blob:' : ''}`];
      if (name === 'connect-src') return [name, `${value} ${ws}`];
      return [name, value];
    }),
  );
};

/**
 * Cross-origin isolation: with these two headers on every response the page and its workers get
 * `crossOriginIsolated === true`, hence SharedArrayBuffer, which tf.js' threaded wasm backend needs for its
 * thread pool. Nothing the app loads comes from another origin, so `require-corp` blocks nothing of ours.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The policy of the training worker's script. tf.js' threaded wasm backend starts its pool threads from a blob:
 * worker that `importScripts` a blob: copy of its own factory, so inside the worker script-src must also allow
 * blob:. A worker has no DOM, and only code already running in the worker can mint its blob: URLs; the page keeps
 * the strict policy.
 */
export const WORKER_CONTENT_SECURITY_POLICY = join(
  CSP_DIRECTIVES.map(([name, value]): [string, string] =>
    name === 'script-src' ? [name, `${value} blob:`] : [name, value],
  ),
);

/**
 * Vite names a built worker chunk after its source file (`assets/train.worker-<hash>.js`); its dev server serves a
 * worker's source with a `worker_file` query.
 */
export const isWorkerScript = (url: string): boolean =>
  /\.worker-[\w-]+\.js$/.test(url.split(/[?#]/)[0]) || /[?&]worker_file\b/.test(url);

/** The headers every response of the built app carries (Electron's app:// protocol and `vite preview` alike). */
export function appResponseHeaders(path: string): Record<string, string> {
  return {
    'Content-Security-Policy': isWorkerScript(path) ? WORKER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY_HEADER,
    ...CROSS_ORIGIN_ISOLATION_HEADERS,
  };
}
