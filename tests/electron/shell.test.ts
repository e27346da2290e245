import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuEvent } from '../../electron/api';
import { APP_INDEX_URL, mimeType, resolveAppFile } from '../../electron/appProtocol';
import { CloseGuard } from '../../electron/closeGuard';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  appResponseHeaders,
  devContentSecurityPolicy,
  isWorkerScript,
} from '../../electron/csp';
import { buildMenuTemplate } from '../../electron/menu';
import { addRecent, loadRecent, MAX_RECENT, saveRecent } from '../../electron/recent';

describe('close guard', () => {
  it('closes at once when there is nothing unsaved', () => {
    expect(new CloseGuard().onCloseRequested()).toBe('close');
  });

  it("asks when dirty; Cancel stays, Don't Save closes", () => {
    const g = new CloseGuard();
    g.setDirty(true);
    expect(g.onCloseRequested()).toBe('ask');
    expect(g.onAnswer('cancel')).toBe('stay');
    expect(g.onCloseRequested()).toBe('ask');
    expect(g.onAnswer('discard')).toBe('close');
    expect(g.onCloseRequested()).toBe('close');
  });

  it('Save closes only after the save succeeds', () => {
    const g = new CloseGuard();
    g.setDirty(true);
    expect(g.onAnswer('save')).toBe('save');
    expect(g.onSaveFinished(false)).toBe('stay'); // cancelled Save As dialog
    expect(g.onCloseRequested()).toBe('ask');
    expect(g.onSaveFinished(true)).toBe('stay'); // an ordinary later save does not close the window
    expect(g.onAnswer('save')).toBe('save');
    expect(g.onSaveFinished(true)).toBe('close');
    expect(g.onCloseRequested()).toBe('close');
  });

  it('new edits after "Don\'t Save" ask again', () => {
    const g = new CloseGuard();
    g.setDirty(true);
    g.onAnswer('discard');
    g.setDirty(true);
    expect(g.onCloseRequested()).toBe('ask');
  });
});

describe('app:// protocol', () => {
  const dist = join('/opt', 'wordloom', 'dist');
  it.each([
    [APP_INDEX_URL, join(dist, 'index.html')],
    ['app://wordloom/', join(dist, 'index.html')],
    ['app://wordloom/assets/index-abc.js?v=1', join(dist, 'assets', 'index-abc.js')],
    ['app://wordloom/assets/a%20b.wasm', join(dist, 'assets', 'a b.wasm')],
  ])('serves %s from dist', (url, file) => {
    expect(resolveAppFile(dist, url)).toBe(file);
  });

  it.each(['app://wordloom/../package.json', 'app://wordloom/%2e%2e/package.json'])(
    'keeps %s inside dist (URL parsing drops the leading ..)',
    (url) => {
      expect(resolveAppFile(dist, url)).toBe(join(dist, 'package.json'));
    },
  );

  it.each([
    'app://wordloom/assets/..%2f..%2fpackage.json',
    'app://wordloom/..%2f..%2f..%2fetc/passwd',
    'app://wordloom/%00',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://wordloom/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(dist, url)).toBeUndefined();
  });

  it('serves wasm with the type instantiateStreaming requires', () => {
    expect(mimeType('x/tfjs-backend-wasm.wasm')).toBe('application/wasm');
    expect(mimeType('x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('application menu', () => {
  const walk = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? walk(i.submenu) : [])]);
  const build = (recent = [{ path: '/p/a.json', name: 'a.json', openedAt: '' }]) => {
    const sent: MenuEvent[] = [];
    const template = buildMenuTemplate({
      appName: 'Wordloom',
      isMac: false,
      isDev: false,
      recent,
      send: (e) => sent.push(e),
    });
    return { template, items: walk(template), sent };
  };

  it('has the File, Edit, View and Help menus with their items', () => {
    const { template, items } = build();
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'help']);
    const labels = items.map((i) => i.label ?? i.role);
    for (const label of [
      'New',
      'Open…',
      'Open Recent',
      'Templates…',
      'Save',
      'Save As…',
      'Export…',
      'Undo',
      'Redo',
      'cut',
      'copy',
      'paste',
      'Delete',
      'selectAll',
      'Fit Graph',
      'Zoom In',
      'Zoom Out',
      'Theme',
      'About Wordloom and Data Credits',
    ]) {
      expect(labels).toContain(label);
    }
    expect(labels).not.toContain('toggleDevTools');
  });

  it('sends a menu event for every command item, including recent files and themes', () => {
    const { items, sent } = build();
    const clickable = items.filter((i) => i.click);
    for (const i of clickable) i.click?.({} as never, undefined, {} as never);
    expect(sent).toContainEqual({ command: 'file:openRecent', path: '/p/a.json' });
    expect(sent).toContainEqual({ command: 'view:theme', theme: 'dark' });
    expect(sent).toContainEqual({ command: 'help:about' });
    expect(sent).toHaveLength(clickable.length);
  });

  it("on macOS the app menu's About opens the app's About box (with the data credits), not the native panel", () => {
    const sent: MenuEvent[] = [];
    const template = buildMenuTemplate({
      appName: 'Wordloom',
      isMac: true,
      isDev: false,
      recent: [],
      send: (e) => sent.push(e),
    });
    const appMenu = Array.isArray(template[0]?.submenu) ? template[0].submenu : [];
    const about = appMenu.find((i) => i.label === 'About Wordloom');
    about?.click?.({} as never, undefined, {} as never);
    expect(sent).toEqual([{ command: 'help:about' }]);
    expect(walk(template).some((i) => i.role === 'about')).toBe(false);
  });

  it('shows a disabled placeholder when there are no recent files', () => {
    const { items } = build([]);
    expect(items.find((i) => i.label === 'No Recent Projects')?.enabled).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directive = (policy: string, name: string): string =>
    policy
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';

  it('renderer/index.html carries exactly the production policy', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('allows no inline script and no eval in production, only WebAssembly compilation', () => {
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER]) {
      expect(directive(policy, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
      expect(directive(policy, 'connect-src')).toBe("connect-src 'self'");
    }
    expect(CONTENT_SECURITY_POLICY_HEADER).toContain("frame-ancestors 'none'");
  });

  it('sends every response cross-origin isolated, and only worker scripts may load blob: scripts (wasm threads)', () => {
    const page = appResponseHeaders('/index.html');
    const worker = appResponseHeaders('/assets/train.worker-AExH9mlx.js');
    for (const h of [page, worker, appResponseHeaders('/assets/index-x1.js')]) {
      expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
      expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    }
    expect(page['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(appResponseHeaders('/assets/index-x1.js')['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(directive(worker['Content-Security-Policy'], 'script-src')).toBe(
      "script-src 'self' 'wasm-unsafe-eval' blob:",
    );
    expect(directive(worker['Content-Security-Policy'], 'connect-src')).toBe("connect-src 'self'");
    expect(isWorkerScript('/assets/train.worker-AExH9mlx.js?x=1')).toBe(true);
    expect(isWorkerScript('/assets/not-a.worker.js.map')).toBe(false);
    expect(isWorkerScript('http://localhost:5173/workers/train.worker.ts?worker_file&type=module')).toBe(true);
    expect(directive(devContentSecurityPolicy('http://localhost:5173', true), 'script-src')).toBe(
      "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline' blob:",
    );
  });

  it('relaxes only the dev policy, for the dev server', () => {
    const dev = devContentSecurityPolicy('http://localhost:5173');
    expect(directive(dev, 'script-src')).toContain("'unsafe-inline'");
    expect(directive(dev, 'connect-src')).toBe("connect-src 'self' ws://localhost:5173");
  });
});

describe('recent files', () => {
  const at = (s: number): Date => new Date(Date.UTC(2025, 0, 1, 0, 0, s));

  it('puts the latest first, without duplicates, up to the limit', () => {
    let list = addRecent([], '/a.json', at(0));
    list = addRecent(list, '/b.json', at(1));
    list = addRecent(list, '/a.json', at(2));
    expect(list.map((f) => f.path)).toEqual(['/a.json', '/b.json']);
    for (let i = 0; i < 20; i++) list = addRecent(list, `/f${i}.json`, at(3 + i));
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]?.path).toBe('/f19.json');
  });

  it('persists, and starts empty when the list file is missing or corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wordloom-recent-'));
    try {
      const file = join(dir, 'recent.json');
      expect(await loadRecent(file)).toEqual([]);
      const list = addRecent([], '/x/y.wordloom.json', at(5));
      await saveRecent(file, list);
      expect(await loadRecent(file)).toEqual(list);
      await writeFile(file, '{ not json');
      expect(await loadRecent(file)).toEqual([]);
      await writeFile(file, JSON.stringify({ version: 1, files: [{ path: 3 }] }));
      expect(await loadRecent(file)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
