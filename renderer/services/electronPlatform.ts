/** The Platform over Electron's preload API (electron/preload.ts); every call is one IPC round trip. */
import type { DesktopApi } from '../../electron/api';
import { readAutosaves, writeAutosave } from './autosave';
import type { Platform } from './platform';

declare global {
  interface Window {
    /** Present only inside the Electron window (contextBridge). */
    api?: DesktopApi;
  }
}

export function electronPlatform(api: DesktopApi): Platform {
  const saveAs: Platform['saveProjectAs'] = async (project, suggestedName) => {
    const r = await api.saveProjectAs({ project, suggestedName });
    return r.ok && r.value
      ? { ok: true, value: { name: r.value.name, path: r.value.path } }
      : r.ok
        ? { ok: true, value: null }
        : r;
  };
  return {
    kind: 'desktop',
    async openProject(request) {
      const r = await api.openProject(request);
      if (!r.ok || r.value === null) return r.ok ? { ok: true, value: null } : r;
      const { path, name, project, diagnostics } = r.value;
      return { ok: true, value: { handle: { name, path }, project, diagnostics } };
    },
    async saveProject(project, handle) {
      if (!handle?.path) return saveAs(project, handle?.name ?? project.graph.name);
      const r = await api.saveProject({ path: handle.path, project });
      return r.ok ? { ok: true, value: { name: r.value.name, path: r.value.path } } : r;
    },
    saveProjectAs: saveAs,
    exportFiles: (request) => api.exportFiles(request),
    async getInfo() {
      const r = await api.getInfo();
      if (!r.ok) throw new Error(`app:getInfo failed: ${r.error.message}`);
      return r.value;
    },
    onMenu: (listener) => api.onMenu(listener),
    setDirty(dirty) {
      void api.setDirty(dirty);
    },
    autosave: (id, project, name) => void writeAutosave(window.localStorage, id, project, name),
    autosaves: () => readAutosaves(window.localStorage),
  };
}
