// Bundles the Electron main process and the preload script (npm run build runs this after `vite build`).
// Both are CommonJS: Electron loads main.cjs from package.json "main", and a sandboxed preload cannot be an ES module.
import { build } from 'esbuild';
import { URL, fileURLToPath } from 'node:url';

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

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs' }),
  // The sandboxed preload may require only `electron` (and a few Node built-ins); everything else is inlined.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs' }),
]);
