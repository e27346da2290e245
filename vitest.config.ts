import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two workers at least: vitest's default (cores - 1) runs the files one after another on a 2-core CI machine,
 * where most files are one single-threaded tf.js process each and a second worker nearly halves the wall time.
 */
const maxWorkers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers,
    projects: [
      { test: { name: 'core', environment: 'node', include: ['tests/core/**/*.test.ts', 'tests/electron/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'renderer', environment: 'jsdom', include: ['tests/renderer/**/*.test.{ts,tsx}'], testTimeout: 60_000 } },
    ],
  },
});
