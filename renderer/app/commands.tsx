import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createProjectCommands, type ProjectCommands } from '../services/projectCommands';
import type { Platform } from '../services/platform';
import { useAppStoreApi } from '../store';

const CommandsContext = createContext<{ platform: Platform; commands: ProjectCommands } | null>(null);

/** Gives the tree the Platform and the file commands built on it and on the store. */
export function CommandsProvider({ platform, children }: { platform: Platform; children: ReactNode }) {
  const store = useAppStoreApi();
  const value = useMemo(() => ({ platform, commands: createProjectCommands(platform, store) }), [platform, store]);
  return <CommandsContext.Provider value={value}>{children}</CommandsContext.Provider>;
}

function useCommandsContext() {
  const ctx = useContext(CommandsContext);
  if (!ctx) throw new Error('useCommands must be used within CommandsProvider');
  return ctx;
}

export const useCommands = (): ProjectCommands => useCommandsContext().commands;
export const usePlatform = (): Platform => useCommandsContext().platform;
