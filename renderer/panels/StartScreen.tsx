import { useState } from 'react';
import { useCommands } from '../app/commands';
import { laidOut } from '../canvas/layout';
import { TEMPLATES, type Template } from '../lib/templates';
import { useAppStore } from '../store';
import { blankGraph } from '../store/graphSlice';
import { TemplatePreview } from './TemplatePreview';

/** Start here: a blank canvas, a classic architecture, a file, or the last session's autosave. */
export function StartScreen() {
  const commands = useCommands();
  const openGraph = useAppStore((s) => s.openGraph);
  const showScreen = useAppStore((s) => s.showScreen);
  const hasGraph = useAppStore((s) => s.graph.nodes.length > 0);
  const [autosaved] = useState(() => commands.autosaved());
  return (
    <div className="start-screen" data-testid="start-screen">
      <div className="start-inner">
        <header className="start-head">
          <h1>Build a language model</h1>
          <p className="muted">Start from a classic architecture, or wire your own from blocks.</p>
          <div className="start-actions">
            <button type="button" onClick={() => void commands.openFile()} data-testid="start-open">
              Open a project…
            </button>
            {autosaved && (
              <button type="button" onClick={() => commands.restore(autosaved)} data-testid="start-restore">
                Continue “{autosaved.handle.name}”
              </button>
            )}
            {hasGraph && (
              <button type="button" onClick={() => showScreen('editor')} data-testid="start-back">
                Back to the editor
              </button>
            )}
          </div>
        </header>
        <div className="template-grid">
          <TemplateCard
            id="blank"
            title="Blank"
            description="An empty canvas. Drag blocks from the palette, or press Space and type a block's name."
            preview={<TemplatePreview graph={blankGraph()} />}
            onOpen={() => openGraph(blankGraph())}
          />
          {TEMPLATES.map((t: Template) => (
            <TemplateCard
              key={t.id}
              id={t.id}
              title={t.graph.name}
              description={t.graph.description ?? ''}
              preview={<TemplatePreview graph={t.graph} />}
              onOpen={() => openGraph(laidOut(t.graph))}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function TemplateCard(props: { id: string; title: string; description: string; preview: React.ReactNode; onOpen: () => void }) {
  const { id, title, description, preview, onOpen } = props;
  return (
    <button type="button" className="template-card" onClick={onOpen} data-testid={`template-${id}`} title={description}>
      <div className="template-thumb">{preview}</div>
      <div className="template-title">{title}</div>
      <p className="template-desc">{description}</p>
    </button>
  );
}
