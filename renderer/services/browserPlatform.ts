/**
 * The Platform in a plain browser (`npm run web`, and the e2e tests): open through a file input, save and export
 * as downloads, the desktop menu's shortcuts as key bindings, and a leave-page warning for unsaved changes.
 */
import { parseProjectText, serializeProject } from '../../core/project/project';
import { MAX_PROJECT_BYTES } from '../../core/project/schema';
import type { MenuEvent } from '../../electron/api';
import { readAutosaves, writeAutosave } from './autosave';
import { failure, type Platform } from './platform';

/** Replaced at build time by vite.config.ts `define`. */
declare const __WORDLOOM_VERSION__: string;

const PROJECT_SUFFIX = '.wordloom.json';

/** Resolves with the chosen file, or null when the user closes the picker. */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    const done = (file: File | null): void => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

function download(name: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking synchronously can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const fileNameFor = (name: string): string => {
  const base = name.replace(/[^\w.\- ]+/g, '_').trim() || 'Untitled';
  return base.toLowerCase().endsWith('.json') ? base : `${base}${PROJECT_SUFFIX}`;
};

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** The desktop menu's accelerators, for the browser; undo, redo and delete stay native inside text fields. */
export function menuEventForKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  inTextField: boolean,
): MenuEvent | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (e.altKey) return undefined;
  if (mod && key === 's') return { command: e.shiftKey ? 'file:saveAs' : 'file:save' };
  if (mod && key === 'o') return { command: 'file:open' };
  if (mod && key === 'e') return { command: 'file:export' };
  if (inTextField) return undefined;
  if (mod && key === 'z') return { command: e.shiftKey ? 'edit:redo' : 'edit:undo' };
  if (mod && key === 'y') return { command: 'edit:redo' };
  if (!mod && (key === 'delete' || key === 'backspace')) return { command: 'edit:delete' };
  if (mod && (key === '=' || key === '+')) return { command: 'view:zoomIn' };
  if (mod && key === '-') return { command: 'view:zoomOut' };
  if (!mod && e.shiftKey && key === '!') return { command: 'view:fit' };
  return undefined;
}

export function browserPlatform(): Platform {
  let dirty = false;
  window.addEventListener('beforeunload', (event) => {
    if (dirty) event.preventDefault(); // the browser shows its own "Leave site?" prompt
  });

  const saveAs: Platform['saveProjectAs'] = async (project, suggestedName) => {
    const name = fileNameFor(suggestedName);
    download(name, serializeProject(project), 'application/json');
    return { ok: true, value: { name } };
  };

  return {
    kind: 'browser',
    async openProject() {
      const file = await pickFile(`${PROJECT_SUFFIX},.json,application/json`);
      if (!file) return { ok: true, value: null };
      if (file.size > MAX_PROJECT_BYTES) {
        const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
        return failure(
          'too-large',
          `${file.name} is ${mb(file.size)}; Wordloom opens project files up to ${mb(MAX_PROJECT_BYTES)}.`,
        );
      }
      const parsed = parseProjectText(await file.text(), file.name);
      if (!parsed.project) return failure('bad-file', parsed.error ?? `${file.name} is not a Wordloom project.`);
      return {
        ok: true,
        value: { handle: { name: file.name }, project: parsed.project, diagnostics: parsed.diagnostics },
      };
    },
    saveProject: (project, handle) => saveAs(project, handle?.name ?? project.graph.name),
    saveProjectAs: saveAs,
    async exportFiles({ files, folderName }) {
      // A browser cannot create folders: each file downloads under its own name (model.json keeps finding weights.bin).
      for (const f of files) download(f.name.split('/').pop() ?? f.name, f.data, 'application/octet-stream');
      return { ok: true, value: { dir: folderName, written: files.map((f) => f.name) } };
    },
    async getInfo() {
      return {
        name: 'Wordloom',
        version: typeof __WORDLOOM_VERSION__ === 'string' ? __WORDLOOM_VERSION__ : 'dev',
        platform: 'browser',
        versions: { browser: navigator.userAgent },
      };
    },
    onMenu(listener) {
      const onKey = (event: KeyboardEvent): void => {
        const menuEvent = menuEventForKey(event, isTextField(event.target));
        if (!menuEvent) return;
        event.preventDefault(); // e.g. keep Ctrl+S from opening the browser's "Save page" dialog
        listener(menuEvent);
      };
      window.addEventListener('keydown', onKey);
      return () => window.removeEventListener('keydown', onKey);
    },
    setDirty(value) {
      dirty = value;
    },
    autosave: (id, project, name) => void writeAutosave(window.localStorage, id, project, name),
    autosaves: () => readAutosaves(window.localStorage),
  };
}
