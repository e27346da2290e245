import { useEffect, useRef, useState } from 'react';
import { useCommands } from '../app/commands';
import { laidOut } from '../canvas/layout';
import type { Graph } from '../../core/graph/model';
import { TEMPLATES, type Template } from '../lib/templates';
import { useAppStore } from '../store';
import { blankGraph } from '../store/graphSlice';
import { GuidedProjects } from './guide/GuidedProjects';
import { RecentProjects } from './RecentProjects';
import { TemplatePreview } from './TemplatePreview';

/** Start here: a blank canvas, a classic architecture, a file, or the last session's autosave. */
export function StartScreen() {
  const commands = useCommands();
  const openGraph = useAppStore((s) => s.openGraph);
  const replaceDocument = useAppStore((s) => s.replaceDocument);
  // Replacing a document with unsaved work asks first (Save / Discard / Cancel).
  const open = (graph: Graph): void => replaceDocument(`open ${graph.name}`, () => openGraph(graph));
  const showScreen = useAppStore((s) => s.showScreen);
  const hasGraph = useAppStore((s) => s.graph.nodes.length > 0);
  // The open document's own copy is left out: "Back to the editor" is the way back to it.
  const documentId = useAppStore((s) => s.documentId);
  const [recent] = useState(() => commands.autosaved().filter((d) => !hasGraph || d.id !== documentId));
  // Focus starts here, so Tab walks the start screen's own choices first (the editor behind it is inert).
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="start-screen" data-testid="start-screen" ref={ref} tabIndex={-1} aria-label="Start">
      <div className="start-inner">
        <header className="start-head">
          <h1>Build a language model</h1>
          <p className="muted">Start from a classic architecture, or wire your own from blocks.</p>
          <div className="start-actions">
            <button type="button" onClick={() => void commands.openFile()} data-testid="start-open">
              Open a project…
            </button>
            {recent.slice(0, 1).map((doc) => (
              <button key={doc.id} type="button" onClick={() => commands.restore(doc)} data-testid="start-restore">
                Continue “{doc.handle.name}”
              </button>
            ))}
            {hasGraph && (
              <button type="button" onClick={() => showScreen('editor')} data-testid="start-back">
                Back to the editor
              </button>
            )}
          </div>
        </header>
        <GuidedProjects />
        <RecentProjects docs={recent.slice(1)} onOpen={commands.restore} />
        <div className="template-grid">
          <TemplateCard
            id="blank"
            title="Blank"
            description="An empty canvas. Drag blocks from the palette, or press Space and type a block's name."
            preview={<TemplatePreview graph={blankGraph()} />}
            onOpen={() => open(blankGraph())}
          />
          {TEMPLATES.map((t: Template) => (
            <TemplateCard
              key={t.id}
              id={t.id}
              title={t.graph.name}
              description={t.graph.description ?? ''}
              preview={<TemplatePreview graph={t.graph} />}
              onOpen={() => open(laidOut(t.graph))}
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
