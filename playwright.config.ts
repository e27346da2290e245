import { chromiumLaunch } from './tests/e2e/chromium';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run against the production build served by `vite preview`: the same files, base path and
 * strict CSP that Electron loads, with no dev-server dependency optimisation to reload pages mid-test.
 * Browsers are never downloaded here: Debian's Chromium (or PLAYWRIGHT_CHROMIUM_EXECUTABLE) is used, and each
 * launch gets a fresh temporary profile (Playwright's default for non-persistent contexts).
 */
/** WORDLOOM_E2E_PORT lets several checkouts run their e2e tests on one machine at once. */
const PORT = Number(process.env.WORDLOOM_E2E_PORT || 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  // Generous: a 2-core machine builds the app, then compiles tf.js in the page.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: chromiumLaunch(),
  },
  webServer: {
    command: `npx vite build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    timeout: 240_000,
    // Always build fresh: a stale preview would test yesterday's code.
    reuseExistingServer: false,
    stdout: 'pipe',
    // The editor exposes window.__wordloom (store + loadGraph) to tests only in builds made with this flag.
    env: { VITE_WORDLOOM_TEST_HOOK: '1' },
  },
});
