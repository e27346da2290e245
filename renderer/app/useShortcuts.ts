import { useEffect } from 'react';
import { nextGroupName } from '../canvas/NodeMenu';
import { getNodeDef } from '../../core/nodes/index';
import { useAppStoreApi } from '../store';
import type { XY } from '../store/types';

const hasOutput = (type: string): boolean => getNodeDef(type)?.head === undefined;
/** Where a block wired to `p`'s output lands: one column to the right. */
export const nextTo = (p: XY): XY => ({ x: p.x + 240, y: p.y });

const isTextField = (el: EventTarget | Element | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Space activates a focused button or link; only elsewhere does it mean quick add. */
const isActivatable = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement &&
  (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'button');

/** True when the user is copying text (a text field, or text selected on the page), not blocks. */
const isTextCopy = (): boolean =>
  isTextField(document.activeElement) || (window.getSelection()?.toString() ?? '') !== '';

/**
 * Canvas keys the menu does not cover: Space opens quick add (wired to the selected block), `?` the shortcuts
 * sheet, Escape closes quick add and clears the selection, Ctrl+G groups the selected blocks.
 * Copy and paste listen to the DOM copy/paste events, which both Ctrl+C/V in a browser and Electron's
 * Edit-menu roles raise, so each runs once whichever way it was asked for.
 */
export function useShortcuts(): void {
  const store = useAppStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = store.getState();
      if (s.screen === 'editor' && !isTextField(e.target) && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'g') {
        e.preventDefault(); // Ctrl+G: group the selected blocks
        if (s.selectedNodeIds.length > 1) {
          const why = s.groupSelection(nextGroupName(s.graph.groups?.length ?? 0));
          if (why) s.notify('error', why);
        }
        return;
      }
      if (s.screen !== 'editor' || isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?' && !s.quickAdd) {
        e.preventDefault();
        s.toggleShortcuts();
      } else if (e.key === ' ' && !s.quickAdd && !isActivatable(e.target) && !s.isShortcutsOpen && !s.leaveRequest) {
        e.preventDefault();
        // One block selected: the new block is wired to its output ("connect to…"), and lands beside it.
        const only = s.selectedNodeIds.length === 1 ? s.graph.nodes.find((n) => n.id === s.selectedNodeIds[0]) : undefined;
        if (only && hasOutput(only.type)) s.openQuickAdd(nextTo(only.position), { from: { node: only.id, port: 'out' } });
        else s.openQuickAdd();
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
