import { useEffect } from 'react';
import { useAppStoreApi } from '../store';

const isTextField = (el: EventTarget | Element | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Space activates a focused button or link; only elsewhere does it mean quick add. */
const isActivatable = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'button');

/** True when the user is copying text (a text field, or text selected on the page), not blocks. */
const isTextCopy = (): boolean => isTextField(document.activeElement) || (window.getSelection()?.toString() ?? '') !== '';

/**
 * Canvas keys the menu does not cover: Space opens quick add, Escape closes it and clears the selection.
 * Copy and paste listen to the DOM copy/paste events, which both Ctrl+C/V in a browser and Electron's
 * Edit-menu roles raise, so each runs once whichever way it was asked for.
 */
export function useShortcuts(): void {
  const store = useAppStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = store.getState();
      if (s.screen !== 'editor' || isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ' && !s.quickAdd && !isActivatable(e.target)) {
        e.preventDefault();
        s.openQuickAdd();
      } else if (e.key === 'Escape') {
        if (s.quickAdd) s.closeQuickAdd();
        else s.clearSelection();
      }
    };
    const onCopy = (e: ClipboardEvent): void => {
      const s = store.getState();
      if (s.screen !== 'editor' || isTextCopy() || s.selectedNodeIds.length === 0) return;
      e.preventDefault();
      s.copySelection();
      // Also on the system clipboard as text, so a bug report or chat can show what was copied.
      e.clipboardData?.setData('text/plain', JSON.stringify(store.getState().clipboard));
    };
    const onPaste = (e: ClipboardEvent): void => {
      const s = store.getState();
      if (s.screen !== 'editor' || isTextField(document.activeElement) || !s.clipboard) return;
      e.preventDefault();
      s.pasteClipboard();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [store]);
}
