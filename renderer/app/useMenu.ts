import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { MenuEvent } from '../services/platform';
import { useAppStoreApi } from '../store';
import { preferredTheme } from '../services/themePreference';
import { useCommands, usePlatform } from './commands';

const isTextField = (el: Element | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * Application-menu commands (Electron's menu, or the same shortcuts in the browser) mapped to the same store
 * actions as the toolbar. Undo, redo and delete act on a focused text field natively instead of the graph.
 */
export function useMenu(): void {
  const platform = usePlatform();
  const commands = useCommands();
  const store = useAppStoreApi();
  const rf = useReactFlow();
  useEffect(() => {
    const textEdit = (command: 'undo' | 'redo' | 'delete'): boolean => {
      if (!isTextField(document.activeElement)) return false;
      document.execCommand(command);
      return true;
    };
    const handle = (e: MenuEvent): void => {
      const s = store.getState();
      switch (e.command) {
        case 'file:new':
        case 'file:templates':
          return s.showScreen('start');
        case 'file:open':
          return void commands.openFile();
        case 'file:openRecent':
          return void commands.openFile(e.path);
        case 'file:save':
          return void commands.save();
        case 'file:saveAs':
          return void commands.saveAs();
        case 'file:export':
          return s.runs.length
            ? s.openExport()
            : s.notify('info', 'Export needs a trained model: train one, then export it from its run.');
        case 'edit:undo':
          return void (textEdit('undo') || (s.isFreezeMode ? s.undoFreeze() : s.undo()));
        case 'edit:redo':
          return void (textEdit('redo') || (s.isFreezeMode ? s.redoFreeze() : s.redo()));
        case 'edit:delete':
          return void (textEdit('delete') || s.deleteSelection());
        case 'view:fit':
          return s.requestFit();
        case 'view:zoomIn':
          return void rf.zoomIn();
        case 'view:zoomOut':
          return void rf.zoomOut();
        case 'view:theme':
          return s.setTheme(e.theme === 'system' ? preferredTheme() : e.theme);
        case 'help:about':
          return s.openAbout();
      }
    };
    return platform.onMenu(handle);
  }, [platform, commands, store, rf]);
}
