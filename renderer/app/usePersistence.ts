import { useEffect } from 'react';
import { currentProject } from '../services/projectCommands';
import { saveTheme } from '../services/themePreference';
import { useAppStoreApi } from '../store';
import { usePlatform } from './commands';

/** Quiet time after the last edit before the crash-recovery copy is written. */
const AUTOSAVE_DELAY_MS = 800;

/**
 * Side effects that follow the store: the autosave copy after edits, the unsaved-changes flag for the
 * host (leave-page / close-window prompt), the theme on <html> and remembered for next time.
 */
export function usePersistence(): void {
  const platform = usePlatform();
  const store = useAppStoreApi();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = (theme: string): void => {
      document.documentElement.dataset.theme = theme;
    };
    apply(store.getState().theme);
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.theme !== prev.theme) {
        apply(s.theme);
        saveTheme(s.theme);
      }
      if (s.isDirty !== prev.isDirty) platform.setDirty(s.isDirty);
      if (s.graph !== prev.graph && s.graph.nodes.length > 0) {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const now = store.getState();
          platform.autosave(currentProject(store), now.fileHandle?.name ?? now.graph.name);
        }, AUTOSAVE_DELAY_MS);
      }
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [platform, store]);
}
