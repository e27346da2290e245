import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';

/**
 * Builds the renderer with the test hook (VITE_WORDLOOM_TEST_HOOK=1) into a temporary folder and serves it with
 * `vite preview` on `port` (the same headers as the desktop app: CSP, cross-origin isolation). For the benches.
 */
export async function serveTestBuild(port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'wordloom-bench-'));
  process.env.VITE_WORDLOOM_TEST_HOOK = '1';
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir },
    preview: { port, strictPort: true },
  });
  return {
    url: `http://localhost:${port}/`,
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
