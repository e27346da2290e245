/**
 * The application menu as data (no Electron import at runtime, so tests/electron/menu.test.ts can walk it).
 * Items send MenuEvents to the renderer, which owns the document, the canvas and its undo history; Cut, Copy,
 * Paste and Select All use Electron roles so text fields keep their native behaviour.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuEvent, RecentFile } from './api';

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  recent: readonly RecentFile[];
  send(event: MenuEvent): void;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const item = (label: string, event: MenuEvent, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => o.send(event),
  });
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const recentItems: MenuItemConstructorOptions[] =
    o.recent.length === 0
      ? [{ label: 'No Recent Projects', enabled: false }]
      : o.recent.map((f) => item(f.name, { command: 'file:openRecent', path: f.path }));

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New', { command: 'file:new' }, 'CmdOrCtrl+N'),
      item('Open…', { command: 'file:open' }, 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recentItems },
      item('Templates…', { command: 'file:templates' }, 'CmdOrCtrl+Shift+N'),
      sep,
      item('Save', { command: 'file:save' }, 'CmdOrCtrl+S'),
      item('Save As…', { command: 'file:saveAs' }, 'CmdOrCtrl+Shift+S'),
      item('Export…', { command: 'file:export' }, 'CmdOrCtrl+E'),
      sep,
      o.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      item('Undo', { command: 'edit:undo' }, 'CmdOrCtrl+Z'),
      item('Redo', { command: 'edit:redo' }, o.isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      // No accelerator: the Delete key must keep working in text fields; the canvas handles it itself.
      item('Delete', { command: 'edit:delete' }),
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Fit Graph', { command: 'view:fit' }, 'Shift+1'),
      item('Zoom In', { command: 'view:zoomIn' }, 'CmdOrCtrl+='),
      item('Zoom Out', { command: 'view:zoomOut' }, 'CmdOrCtrl+-'),
      sep,
      {
        label: 'Theme',
        submenu: [
          item('System', { command: 'view:theme', theme: 'system' }),
          item('Light', { command: 'view:theme', theme: 'light' }),
          item('Dark', { command: 'view:theme', theme: 'dark' }),
        ],
      },
      ...(o.isDev ? [sep, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [item(`About ${o.appName} and Data Credits`, { command: 'help:about' })],
  };
  const appMenu: MenuItemConstructorOptions[] = o.isMac
    ? [
        {
          label: o.appName,
          // Our About box rather than role 'about': macOS's panel has no room for the data credits and licences.
          submenu: [
            item(`About ${o.appName}`, { command: 'help:about' }),
            sep,
            { role: 'hide' },
            { role: 'hideOthers' },
            sep,
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, help];
}
