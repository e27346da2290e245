import { useCallback, useRef } from 'react';
import { useAppStore } from '../store';
import { useDialogFocus } from './useDialogFocus';

/** Every key the editor answers to, by what it is for. `?` opens this sheet. */
export const SHORTCUTS: { group: string; keys: [string, string][] }[] = [
  {
    group: 'Build',
    keys: [
      ['Space', 'Quick add a block; with one block selected, the new block is wired to its output'],
      ['Tab / Shift+Tab', 'Move between blocks (a ring shows the focused one) and controls'],
      ['Enter', 'Select the focused block'],
      ['Arrow keys', 'Move the selected blocks'],
      ['Delete / Backspace', 'Delete the selected blocks and wires'],
      ['Ctrl+C / Ctrl+V', 'Copy and paste blocks'],
      ['Escape', 'Close quick add, or clear the selection'],
    ],
  },
  {
    group: 'Quick add',
    keys: [
      ['Type', 'Filter blocks by name (only blocks that fit when connecting)'],
      ['↑ / ↓, Enter', 'Choose and add'],
      ['Ctrl+Enter', 'Add without wiring it to the selected block'],
    ],
  },
  {
    group: 'Project',
    keys: [
      ['Ctrl+S / Ctrl+Shift+S', 'Save / Save as'],
      ['Ctrl+O', 'Open a project'],
      ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo'],
      ['Ctrl+E', 'Export a trained run'],
      ['Shift+1', 'Fit the graph in view'],
      ['Ctrl+= / Ctrl+-', 'Zoom in / out'],
      ['?', 'This sheet'],
    ],
  },
];

export function ShortcutsSheet() {
  const isOpen = useAppStore((s) => s.isShortcutsOpen);
  return isOpen ? <Sheet /> : null;
}

function Sheet() {
  const ref = useRef<HTMLDivElement>(null);
  const toggle = useAppStore((s) => s.toggleShortcuts);
  const close = useCallback(() => toggle(false), [toggle]);
  useDialogFocus(ref, close);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={ref}
        className="modal shortcuts-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        tabIndex={-1}
        data-testid="shortcuts-sheet"
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <div className="shortcuts-groups">
          {SHORTCUTS.map((g) => (
            <section key={g.group}>
              <h3 className="panel-title">{g.group}</h3>
              <dl>
                {g.keys.map(([k, what]) => (
                  <div key={k} className="shortcut-row">
                    <dt>
                      <kbd>{k}</kbd>
                    </dt>
                    <dd>{what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <div className="modal-actions">
          <button type="button" className="primary" onClick={close} data-autofocus data-testid="shortcuts-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
