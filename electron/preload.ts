/**
 * Runs sandboxed before the page: it can require only `electron` (esbuild inlines channels.ts). Exposes one
 * method per channel, each a single invoke, never ipcRenderer itself (Electron docs, "Inter-Process Communication").
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopApi, MenuEvent } from './api';
import { CHANNELS, MENU_CHANNEL } from './channels';

const api: DesktopApi = {
  openProject: (request) => ipcRenderer.invoke(CHANNELS.openProject, request),
  saveProject: (request) => ipcRenderer.invoke(CHANNELS.saveProject, request),
  saveProjectAs: (request) => ipcRenderer.invoke(CHANNELS.saveProjectAs, request),
  recentProjects: () => ipcRenderer.invoke(CHANNELS.recentProjects),
  exportFiles: (request) => ipcRenderer.invoke(CHANNELS.exportFiles, request),
  getInfo: () => ipcRenderer.invoke(CHANNELS.getInfo),
  setDirty: (dirty) => ipcRenderer.invoke(CHANNELS.setDirty, dirty),
  saveRunFiles: (request) => ipcRenderer.invoke(CHANNELS.saveRunFiles, request),
  loadRunFiles: (request) => ipcRenderer.invoke(CHANNELS.loadRunFiles, request),
  onMenu(listener) {
    // Wrap the callback: passing it straight to ipcRenderer.on would hand the page `event.sender` (ipcRenderer).
    const wrapped = (_event: IpcRendererEvent, menuEvent: MenuEvent): void => listener(menuEvent);
    ipcRenderer.on(MENU_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(MENU_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
