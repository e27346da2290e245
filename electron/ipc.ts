/**
 * The handlers behind each IPC channel, as plain async functions over injected dialogs and fs, so they are tested
 * in Node (tests/electron/ipc.test.ts). Every argument is parsed with zod: the renderer is treated as untrusted.
 * The renderer never names a path main has not shown in a dialog (or the recent list), so a compromised page
 * cannot read or overwrite arbitrary files.
 */
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { AppInfo, DesktopApi, ExportResult, OpenedProject, RecentFile, Result, SavedProject } from './api';
import { CHANNELS } from './channels';
import {
  atomicWrite,
  fail,
  ioMessage,
  isSafeRelativeName,
  loadProjectCodec,
  ok,
  readProjectFile,
  writeExportFolder,
  type FileSystem,
} from './files';
import { addRecent, loadRecent, removeRecent, saveRecent } from './recent';
import { loadRunArgs, readRunFolder, saveRunArgs, writeRunFolder } from './runFiles';
import { senderProblem } from './trust';

export interface IpcDeps {
  showOpenDialog(): Promise<string | undefined>;
  showSaveDialog(suggestedName: string): Promise<string | undefined>;
  showFolderDialog(): Promise<string | undefined>;
  appInfo(): AppInfo;
  /** JSON file of the Open Recent list, in the user-data folder. */
  recentFile: string;
  onRecentChanged(list: RecentFile[]): void;
  onDirty(dirty: boolean): void;
  onSaveFinished(saved: boolean): void;
  fs?: FileSystem;
  now?: () => Date;
}

type Method = Exclude<keyof DesktopApi, 'onMenu'>;
export type Handlers = { [K in Method]: (arg: unknown) => ReturnType<DesktopApi[K]> };

const openArgs = z.object({ path: z.string().min(1).optional() }).optional();
const saveArgs = z.object({ path: z.string().min(1), project: z.unknown() });
const saveAsArgs = z.object({ project: z.unknown(), suggestedName: z.string().max(200).optional() });
const exportArgs = z.object({
  files: z.array(z.object({ name: z.string(), data: z.union([z.string(), z.instanceof(Uint8Array)]) })).min(1),
  folderName: z
    .string()
    .refine(isSafeRelativeName, 'a plain folder name')
    .refine((s) => !s.includes('/'), 'no slashes'),
  overwrite: z.boolean().optional(),
});
const dirtyArgs = z.boolean();

const badRequest = (channel: string, error: z.ZodError): Result<never> =>
  fail(
    'bad-request',
    `${channel}: ${error.issues[0]?.path.join('.') || 'argument'}: ${error.issues[0]?.message ?? 'invalid'}.`,
  );

/** Adds `.wordloom.json` unless the name already ends in .json. */
export const projectFileName = (name: string): string => {
  const base = name.replace(/[^\w.\- ]+/g, '_').trim() || 'Untitled';
  return base.toLowerCase().endsWith('.json') ? base : `${base}.wordloom.json`;
};

export function createHandlers(deps: IpcDeps): Handlers {
  const now = deps.now ?? (() => new Date());
  /** Paths the user chose in a dialog this session (or reopened from the recent list): the only ones save may write. */
  const granted = new Set<string>();
  let recent: RecentFile[] | undefined;

  const recentList = async (): Promise<RecentFile[]> => (recent ??= await loadRecent(deps.recentFile, deps.fs));
  const remember = async (path: string): Promise<void> => {
    granted.add(path);
    recent = addRecent(await recentList(), path, now());
    await saveRecent(deps.recentFile, recent, deps.fs);
    deps.onRecentChanged(recent);
  };
  const forget = async (path: string): Promise<void> => {
    recent = removeRecent(await recentList(), path);
    await saveRecent(deps.recentFile, recent, deps.fs);
    deps.onRecentChanged(recent);
  };

  /** Validates the project the renderer sends and writes its canonical text atomically. */
  const writeProject = async (path: string, input: unknown): Promise<Result<SavedProject>> => {
    const { parseProject, serializeProject } = await loadProjectCodec();
    const parsed = parseProject(input);
    if (!parsed.project)
      return fail('bad-request', `The project to save is invalid: ${parsed.error ?? 'unknown problem'}`);
    try {
      await atomicWrite(path, serializeProject(parsed.project), deps.fs);
    } catch (err) {
      return fail('io', `${ioMessage(err, path, 'save')} The previous version of the file is unchanged.`);
    }
    await remember(path);
    return ok({ path, name: basename(path) });
  };
  const finishSave = <T>(result: Result<T>, saved: boolean): Result<T> => {
    deps.onSaveFinished(saved);
    return result;
  };

  return {
    async openProject(arg): Promise<Result<OpenedProject | null>> {
      const args = openArgs.safeParse(arg);
      if (!args.success) return badRequest(CHANNELS.openProject, args.error);
      let path = args.data?.path;
      if (path !== undefined && !(await recentList()).some((f) => f.path === path)) {
        return fail('not-allowed', `${basename(path)} is not in the recent files list; use File > Open.`);
      }
      path ??= await deps.showOpenDialog();
      if (path === undefined) return ok(null);
      const result = await readProjectFile(path, deps.fs);
      if (result.ok) await remember(path);
      else if (result.error.code === 'not-found') await forget(path);
      return result;
    },

    async saveProject(arg) {
      const args = saveArgs.safeParse(arg);
      if (!args.success) return finishSave(badRequest(CHANNELS.saveProject, args.error), false);
      const { path, project } = args.data;
      if (!granted.has(path))
        return finishSave(fail('not-allowed', `Use Save As to choose where to save ${basename(path)}.`), false);
      const result = await writeProject(path, project);
      return finishSave(result, result.ok);
    },

    async saveProjectAs(arg) {
      const args = saveAsArgs.safeParse(arg);
      if (!args.success) return finishSave(badRequest(CHANNELS.saveProjectAs, args.error), false);
      const path = await deps.showSaveDialog(projectFileName(args.data.suggestedName ?? 'Untitled'));
      if (path === undefined) return finishSave(ok(null), false);
      const result = await writeProject(path, args.data.project);
      return finishSave(result, result.ok);
    },

    async recentProjects() {
      return ok(await recentList());
    },

    async exportFiles(arg): Promise<Result<ExportResult | null>> {
      const args = exportArgs.safeParse(arg);
      if (!args.success) return badRequest(CHANNELS.exportFiles, args.error);
      const parent = await deps.showFolderDialog();
      if (parent === undefined) return ok(null);
      const dir = join(parent, args.data.folderName);
      const written = await writeExportFolder(dir, args.data.files, { overwrite: args.data.overwrite }, deps.fs);
      return written.ok ? ok({ dir, written: written.value }) : written;
    },

    async getInfo() {
      return ok(deps.appInfo());
    },

    async setDirty(arg) {
      const args = dirtyArgs.safeParse(arg);
      if (!args.success) return badRequest(CHANNELS.setDirty, args.error);
      deps.onDirty(args.data);
      return ok(null);
    },

    // Run folders sit next to a project the user chose; main derives their paths from it and the run id.
    async saveRunFiles(arg) {
      const args = saveRunArgs.safeParse(arg);
      if (!args.success) return badRequest(CHANNELS.saveRunFiles, args.error);
      if (!granted.has(args.data.projectPath))
        return fail('not-allowed', `Save the project before keeping its runs next to it.`);
      return writeRunFolder(args.data.projectPath, args.data.runId, args.data.files, deps.fs);
    },

    async loadRunFiles(arg) {
      const args = loadRunArgs.safeParse(arg);
      if (!args.success) return badRequest(CHANNELS.loadRunFiles, args.error);
      if (!granted.has(args.data.projectPath))
        return fail('not-allowed', `${basename(args.data.projectPath)} was not opened in this session.`);
      return readRunFolder(args.data.projectPath, args.data.runId, deps.fs);
    },
  };
}

/**
 * Registers every handler on its channel (main.ts passes Electron's ipcMain). Each call is first checked to come
 * from the main frame of a page on `trustedOrigins`; any other sender gets a rejected invoke and no handler runs.
 */
export function registerHandlers(
  ipcMain: { handle(channel: string, listener: (event: unknown, arg: unknown) => Promise<unknown>): void },
  h: Handlers,
  trustedOrigins: readonly string[],
): void {
  const on = (method: Method): void =>
    ipcMain.handle(CHANNELS[method], async (event, arg) => {
      const problem = senderProblem(event, trustedOrigins);
      // Thrown, not a Result: the caller is not our renderer, and main's log should show the refusal.
      if (problem) throw new Error(`${CHANNELS[method]}: ${problem}`);
      return h[method](arg);
    });
  on('openProject');
  on('saveProject');
  on('saveProjectAs');
  on('recentProjects');
  on('exportFiles');
  on('getInfo');
  on('setDirty');
  on('saveRunFiles');
  on('loadRunFiles');
}
