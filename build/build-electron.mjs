// Bundles the Electron main process and the preload script (npm run build runs this after `vite build`).
// Both are CommonJS: Electron loads main.cjs from package.json "main", and a sandboxed preload cannot be an ES module.
// ELECTRON_BUNDLES is exported so tests/electron/packaging.test.ts can check that the installers ship these files.
import { build } from 'esbuild';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45 ships Node 22
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
};

export const ELECTRON_BUNDLES = [
  { entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs' },
  // The sandboxed preload may require only `electron` (and a few Node built-ins); everything else is inlined.
  { entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs' },
];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await Promise.all(ELECTRON_BUNDLES.map((bundle) => build({ ...common, ...bundle })));
}
