import { useShallow } from 'zustand/react/shallow';
import { useAutoLayout } from '../canvas/useAutoLayout';
import { useCommands } from '../app/commands';
import { useAppStore } from '../store';
import { CompareButton } from './compare/CompareButton';

/** File, edit and view commands as buttons (the same actions as the menu and the shortcuts). */
export function Toolbar() {
  const commands = useCommands();
  const layout = useAutoLayout();
  const name = useAppStore((s) => s.fileHandle?.name ?? s.graph.name);
  const isDirty = useAppStore((s) => s.isDirty);
  const canUndo = useAppStore((s) => s.past.length > 0);
  const canRedo = useAppStore((s) => s.future.length > 0);
  const hasNodes = useAppStore((s) => s.graph.nodes.length > 0);
  const costOpen = useAppStore((s) => s.panels.costView);
  const theme = useAppStore((s) => s.theme);
  const [showScreen, undo, redo, requestFit, togglePanel, toggleTheme, openAbout] = useAppStore(
    useShallow(
      (s) => [s.showScreen, s.undo, s.redo, s.requestFit, s.togglePanel, s.toggleTheme, s.openAbout] as const,
    ),
  );
  return (
    <header className="toolbar" data-testid="toolbar">
      <span className="brand">Wordloom</span>
      <span className="doc-name" data-testid="document-name" title={name}>
        {name}
        {isDirty && <span className="dirty-dot" title="Unsaved changes"> •</span>}
      </span>
      <div className="tool-group">
        <button type="button" onClick={() => showScreen('start')} data-testid="btn-new">
          New
        </button>
        <button type="button" onClick={() => void commands.openFile()} data-testid="btn-open">
          Open…
        </button>
        <button type="button" onClick={() => void commands.save()} data-testid="btn-save">
          Save
        </button>
      </div>
      <div className="tool-group">
        <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="btn-undo">
          ↶ Undo
        </button>
        <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="btn-redo">
          ↷ Redo
        </button>
      </div>
      <div className="tool-group">
        <button type="button" onClick={layout} disabled={!hasNodes} title="Arrange the blocks left to right" data-testid="btn-layout">
          Auto-layout
        </button>
        <button type="button" onClick={requestFit} disabled={!hasNodes} title="Fit the graph in view" data-testid="btn-fit">
          Fit view
        </button>
        <button
          type="button"
          className={costOpen ? 'on' : ''}
          aria-pressed={costOpen}
          onClick={() => togglePanel('costView')}
          data-testid="btn-cost"
        >
          Cost vs T
        </button>
        <CompareButton />
      </div>
      <span className="spacer" />
      <button type="button" onClick={toggleTheme} title="Switch light / dark theme" data-testid="btn-theme">
        {theme === 'light' ? '☾ Dark' : '☀ Light'}
      </button>
      <button type="button" onClick={openAbout} title="Version, data credits and licences" data-testid="btn-about">
        About
      </button>
    </header>
  );
}
