import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Electron binary, found the way node_modules/electron/index.js finds it but without its side effect:
 * `require('electron')` starts a download when the binary is missing, which hangs or fails offline.
 */
const ELECTRON_PATH_FILE = join(root, 'node_modules', 'electron', 'path.txt');

/**
 * Electron 45 writes path.txt and dist/ when its binary downloads on first launch, which needs network. Returns
 * the file it looked for (so a skip can name it) and the binary when that file exists.
 */
function electronBinary(): { lookedFor: string; binary?: string } {
  const pkgDir = dirname(ELECTRON_PATH_FILE);
  const relative = existsSync(ELECTRON_PATH_FILE) ? readFileSync(ELECTRON_PATH_FILE, 'utf8') : undefined;
  const lookedFor = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron')
    : relative
      ? join(pkgDir, 'dist', relative)
      : ELECTRON_PATH_FILE;
  return { lookedFor, binary: existsSync(lookedFor) ? lookedFor : undefined };
}

const { lookedFor, binary } = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
test.describe('desktop app', () => {
  // The path looked for is printed beside the skip (electronBinary() above says how it is found).
  if (!binary) console.log(`Electron binary looked for at ${lookedFor}`);
  // prettier-ignore
  test.skip(!binary, 'Electron binary absent: node_modules/electron/path.txt or the dist/ binary it names does not exist (check: ls node_modules/electron/dist); Electron 45 downloads it on first launch, which needs network, or set ELECTRON_OVERRIDE_DIST_PATH');
  // prettier-ignore
  test.skip(noDisplay, 'No display for Electron: DISPLAY and WAYLAND_DISPLAY are both unset (check: echo "$DISPLAY$WAYLAND_DISPLAY"); run under xvfb-run');

  test('opens a sandboxed window with the narrow API and the CSP header; Help > About opens the About box', async () => {
    // dist/ comes from the webServer's `vite build`; the main and preload bundles take esbuild a second.
    execFileSync(process.execPath, [join(root, 'build', 'build-electron.mjs')], { cwd: root, stdio: 'pipe' });
    const userData = mkdtempSync(join(tmpdir(), 'wordloom-electron-'));
    const args = [root, `--user-data-dir=${userData}`];
    if (process.getuid?.() === 0) args.unshift('--no-sandbox'); // Chromium refuses to run as root with its sandbox
    const app = await electron.launch({ executablePath: binary, args, cwd: root });
    try {
      const page = await app.firstWindow();
      await expect(page.getByText('Wordloom', { exact: true }).first()).toBeVisible();
      expect(page.url()).toBe('app://wordloom/index.html');

      const surface = await page.evaluate(() => ({
        api: Object.keys(window.api ?? {}).sort(),
        require: 'require' in globalThis,
        process: 'process' in globalThis,
      }));
      expect(surface).toEqual({
        api: [
          'exportFiles',
          'getInfo',
          'loadRunFiles',
          'onMenu',
          'openProject',
          'recentProjects',
          'saveProject',
          'saveProjectAs',
          'saveRunFiles',
          'setDirty',
        ],
        require: false,
        process: false,
      });

      const info = await page.evaluate(async () => {
        const r = await window.api?.getInfo();
        return r?.ok ? r.value.platform : r?.error.message;
      });
      expect(info).toBe('desktop');
      const header = await page.evaluate(async () =>
        (await fetch('./index.html')).headers.get('content-security-policy'),
      );
      expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");

      // Help > About opens the renderer's About box (version and data credits), not a toast or a native panel.
      await app.evaluate(({ Menu }) => {
        const help = Menu.getApplicationMenu()?.items.find((i) => i.role === 'help');
        help?.submenu?.items.find((i) => i.label.startsWith('About'))?.click();
      });
      await expect(page.getByRole('dialog', { name: 'About Wordloom' })).toBeVisible();
      await expect(page.getByTestId('about-version')).toHaveText(/^Version \d+\.\d+\.\d+ · desktop app$/);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name: 'About Wordloom' })).toBeHidden();
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
