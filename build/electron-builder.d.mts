import type { Configuration } from 'electron-builder';

/** build/electron-builder.mjs, typed for tests/electron/packaging.test.ts. */
declare const config: Configuration;
export default config;
