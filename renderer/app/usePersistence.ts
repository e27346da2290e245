import { useEffect } from 'react';
import { projectOf } from '../services/projectCommands';
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
      // Another document replaces this one before its last edit was written: write that edit now, saved or not
      // (Save then New clears the dirty flag first, and the project must still be among the recent ones).
      if (s.documentId !== prev.documentId && timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        if (prev.graph.nodes.length > 0)
          platform.autosave(prev.documentId, projectOf(prev), prev.fileHandle?.name ?? prev.graph.name);
      }
      // Edits to the graph, the training setup or the runs (a finished run is work too), in this document's slot.
      const changed = s.graph !== prev.graph || s.runs !== prev.runs || s.training !== prev.training;
      if (changed && s.isDirty && s.graph.nodes.length > 0) {
        clearTimeout(timer);
        const id = s.documentId;
        timer = setTimeout(() => {
          timer = undefined;
          const now = store.getState();
          if (now.documentId !== id) return;
          platform.autosave(id, projectOf(now), now.fileHandle?.name ?? now.graph.name);
        }, AUTOSAVE_DELAY_MS);
      }
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [platform, store]);
}
