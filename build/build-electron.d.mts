/** What build/build-electron.mjs writes: one esbuild bundle per entry point (paths relative to the repository). */
export declare const ELECTRON_BUNDLES: ReadonlyArray<{ entryPoints: string[]; outfile: string }>;
