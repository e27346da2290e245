import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_CREDITS } from '../../core/data/bundled/manifest';
import { APP_INDEX_URL, APP_ORIGIN } from '../../electron/appProtocol';
import { CHANNELS } from '../../electron/channels';
import { createHandlers, registerHandlers, type IpcDeps } from '../../electron/ipc';
import { EXTERNAL_LINKS, isAllowedExternalUrl, senderProblem } from '../../electron/trust';

type Listener = (event: unknown, arg: unknown) => Promise<unknown>;

/** A fake IpcMainInvokeEvent: the frame that sent the message (WebFrameMain's url and parent). */
const fromFrame = (url: string, parent: unknown = null): unknown => ({ senderFrame: { url, parent } });
const mainFrame = fromFrame(APP_INDEX_URL);

let dir: string;
let dirtyCalls: boolean[];
const deps = (): IpcDeps => ({
  showOpenDialog: async () => undefined,
  showSaveDialog: async () => undefined,
  showFolderDialog: async () => undefined,
  appInfo: () => ({ name: 'Wordloom', version: '0.0.0', platform: 'desktop', versions: {} }),
  recentFile: join(dir, 'recent.json'),
  onRecentChanged: () => undefined,
  onDirty: (d) => dirtyCalls.push(d),
  onSaveFinished: () => undefined,
});

/** Registers the real handlers on a fake ipcMain and returns the listeners by channel. */
const register = (origins: readonly string[]): Map<string, Listener> => {
  const listeners = new Map<string, Listener>();
  registerHandlers(
    { handle: (channel, listener) => void listeners.set(channel, listener) },
    createHandlers(deps()),
    origins,
  );
  return listeners;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-trust-'));
  dirtyCalls = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IPC sender validation', () => {
  it("answers the app's own main frame on every channel", async () => {
    const listeners = register([APP_ORIGIN]);
    expect([...listeners.keys()].sort()).toEqual(Object.values(CHANNELS).sort());
    expect(await listeners.get(CHANNELS.getInfo)?.(mainFrame, undefined)).toMatchObject({ ok: true });
    expect(await listeners.get(CHANNELS.setDirty)?.(mainFrame, true)).toEqual({ ok: true, value: null });
    expect(dirtyCalls).toEqual([true]);
  });

  it.each([
    ['another origin', fromFrame('https://evil.example/index.html'), /https:\/\/evil\.example is not the app/],
    ['a file:// page', fromFrame('file:///tmp/index.html'), /a page without an origin is not the app/],
    ['another app:// host', fromFrame('app://other/index.html'), /app:\/\/other is not the app/],
    ['a look-alike host', fromFrame('app://wordloom.evil/index.html'), /app:\/\/wordloom\.evil is not the app/],
    ['a subframe of the app', fromFrame(APP_INDEX_URL, { url: APP_INDEX_URL }), /subframe \(app:\/\/wordloom\)/],
    ['a frame that is gone', { senderFrame: null }, /sending frame is gone/],
    ['an event without a frame', {}, /sending frame is gone/],
    ['no event at all', undefined, /sending frame is gone/],
  ])('rejects %s and runs no handler', async (_what, event, message) => {
    const listeners = register([APP_ORIGIN]);
    for (const [channel, listener] of listeners) {
      await expect(listener(event, true)).rejects.toThrow(message);
      await expect(listener(event, true)).rejects.toThrow(new RegExp(`^${channel}: IPC refused`));
    }
    expect(dirtyCalls).toEqual([]);
  });

  it('trusts the dev server only when main was started for it', () => {
    const dev = fromFrame('http://localhost:5173/');
    expect(senderProblem(dev, [APP_ORIGIN])).toMatch(/http:\/\/localhost:5173 is not the app/);
    expect(senderProblem(dev, [APP_ORIGIN, 'http://localhost:5173'])).toBeUndefined();
    expect(senderProblem(fromFrame('http://localhost:5174/'), [APP_ORIGIN, 'http://localhost:5173'])).toBeDefined();
  });
});

describe('external links', () => {
  it("opens exactly the About box's licence links", () => {
    const licences = DATA_CREDITS.flatMap((c) => (c.licenceUrl ? [c.licenceUrl] : []));
    expect(licences.length).toBeGreaterThan(0);
    expect([...EXTERNAL_LINKS].sort()).toEqual([...new Set(licences)].sort());
    for (const url of licences) expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'https://creativecommons.org/licenses/by/4.0/?next=https://evil.example',
    'https://creativecommons.org/licenses/by/4.0/#x',
    'https://user:pw@creativecommons.org/licenses/by/4.0/',
    'http://creativecommons.org/licenses/by/4.0/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
