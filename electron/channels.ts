import type { DesktopApi } from './api';

/** IPC channel names (`noun:verb`) per API method, shared by ipc.ts and preload.ts so the two cannot drift apart. */
export const CHANNELS = {
  openProject: 'project:open',
  saveProject: 'project:save',
  saveProjectAs: 'project:saveAs',
  recentProjects: 'project:recent',
  exportFiles: 'export:write',
  getInfo: 'app:getInfo',
  setDirty: 'app:setDirty',
  saveRunFiles: 'run:save',
  loadRunFiles: 'run:load',
} as const satisfies Record<Exclude<keyof DesktopApi, 'onMenu'>, string>;

/** Main → renderer: application-menu commands. */
export const MENU_CHANNEL = 'menu';
