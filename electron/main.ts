/**
 * Electron main process: lifecycle, the window, menus and dialogs. Kept thin: file work is in files.ts,
 * channel handlers in ipc.ts, the close prompt in closeGuard.ts, the menu in menu.ts (all tested in Node).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import type { MenuEvent, RecentFile } from './api';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, mimeType, resolveAppFile } from './appProtocol';
import { MENU_CHANNEL } from './channels';
import { CloseGuard, type CloseAnswer } from './closeGuard';
import { CROSS_ORIGIN_ISOLATION_HEADERS, appResponseHeaders, devContentSecurityPolicy, isWorkerScript } from './csp';
import { createHandlers, registerHandlers } from './ipc';
import { buildMenuTemplate } from './menu';
import { loadRecent } from './recent';
import { isAllowedExternalUrl } from './trust';

const APP_NAME = 'Wordloom';
const DIST_DIR = join(__dirname, '..', 'dist');
const PRELOAD = join(__dirname, 'preload.cjs');
const isMac = process.platform === 'darwin';

/** `npm run web` + WORDLOOM_DEV_URL=http://localhost:5173 loads the dev server; only a loopback URL is accepted. */
const devUrl = ((): string | undefined => {
  const raw = process.env.WORDLOOM_DEV_URL;
  if (!raw) return undefined;
  const url = new URL(raw);
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new Error(`WORDLOOM_DEV_URL must be an http://localhost URL, got ${raw}.`);
  }
  return url.origin;
})();

// Must run before `ready`: app:// behaves like https (secure context, fetch, a real origin for CSP 'self').
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let mainWindow: BrowserWindow | undefined;
const guard = new CloseGuard();

const send = (event: MenuEvent): void => mainWindow?.webContents.send(MENU_CHANNEL, event);

const setMenu = (recent: readonly RecentFile[]): void =>
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ appName: APP_NAME, isMac, isDev: devUrl !== undefined, recent, send })),
  );

async function serveApp(request: Request): Promise<Response> {
  const file = resolveAppFile(DIST_DIR, request.url);
  if (!file) return new Response('Not found', { status: 404 });
  try {
    const body = new Uint8Array(await readFile(file));
    return new Response(body, {
      headers: { 'content-type': mimeType(file), ...appResponseHeaders(new URL(request.url).pathname) },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

/** Every web contents (the window, and anything it might try to open) is kept on the app's own pages. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Only the licence links of the About box open, in the browser; any other URL a page names is dropped.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function askBeforeClosing(win: BrowserWindow): Promise<void> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'warning',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: 'Save changes to this project before closing?',
    detail: "Your changes will be lost if you don't save them.",
  });
  const answers: CloseAnswer[] = ['save', 'discard', 'cancel'];
  const next = guard.onAnswer(answers[response] ?? 'cancel');
  if (next === 'close') win.close();
  // The renderer saves as it does for File > Save (Save As when it has no path yet); ipc reports the outcome.
  if (next === 'save') send({ command: 'file:save' });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: APP_NAME,
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (guard.onCloseRequested() === 'close') return;
    event.preventDefault();
    void askBeforeClosing(win);
  });
  win.on('closed', () => {
    mainWindow = undefined;
    guard.setDirty(false);
  });
  void win.loadURL(devUrl ?? APP_INDEX_URL);
}

async function start(): Promise<void> {
  await app.whenReady();
  protocol.handle(APP_SCHEME, serveApp);
  const ses = session.defaultSession;
  // The headers matter for the dev server (http); app:// responses carry them already (the worker's own policy
  // included, so this must not overwrite it). CSP headers add to the <meta>; isolation lets wasm run threads.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = devUrl
      ? {
          'Content-Security-Policy': devContentSecurityPolicy(devUrl, isWorkerScript(details.url)),
          ...CROSS_ORIGIN_ISOLATION_HEADERS,
        }
      : appResponseHeaders(new URL(details.url).pathname);
    const responseHeaders = { ...details.responseHeaders };
    for (const [name, value] of Object.entries(headers)) responseHeaders[name] = [value];
    callback({ responseHeaders });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  const recentFile = join(app.getPath('userData'), 'recent.json');
  registerHandlers(
    ipcMain,
    createHandlers({
      recentFile,
      showOpenDialog: async () => {
        const r = await dialog.showOpenDialog({
          properties: ['openFile'],
          filters: [{ name: 'Wordloom project', extensions: ['json'] }],
        });
        return r.canceled ? undefined : r.filePaths[0];
      },
      showSaveDialog: async (suggestedName) => {
        const r = await dialog.showSaveDialog({
          defaultPath: suggestedName,
          filters: [{ name: 'Wordloom project', extensions: ['json'] }],
        });
        return r.canceled ? undefined : r.filePath;
      },
      showFolderDialog: async () => {
        const r = await dialog.showOpenDialog({
          title: 'Export to folder',
          properties: ['openDirectory', 'createDirectory'],
        });
        return r.canceled ? undefined : r.filePaths[0];
      },
      appInfo: () => ({
        name: APP_NAME,
        version: app.getVersion(),
        platform: 'desktop',
        versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
      }),
      onRecentChanged: setMenu,
      onDirty: (dirty) => {
        guard.setDirty(dirty);
        mainWindow?.setDocumentEdited(dirty); // macOS: the dot in the close button
      },
      onSaveFinished: (saved) => {
        if (guard.onSaveFinished(saved) === 'close') setImmediate(() => mainWindow?.close());
      },
    }),
    devUrl ? [APP_ORIGIN, devUrl] : [APP_ORIGIN],
  );
  setMenu(await loadRecent(recentFile));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  void start();
}
