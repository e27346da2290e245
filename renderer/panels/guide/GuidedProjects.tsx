import { laidOut } from '../../canvas/layout';
import { GUIDES, type Guide } from '../../lib/guides';
import { findTemplate } from '../../lib/templates';
import { useAppStoreApi } from '../../store';
import { TemplatePreview } from '../TemplatePreview';

/** The start screen's guided projects: a template, a training setup and step-by-step text that stays on screen. */
export function GuidedProjects() {
  const store = useAppStoreApi();
  const start = (guide: Guide): void => {
    const graph = guide.graph ?? findTemplate(guide.template)?.graph;
    if (!graph) return;
    // Like a template, a guided project over unsaved work asks first (Save / Discard / Cancel).
    store.getState().replaceDocument(`open the guided project "${guide.title}"`, () => {
      const s = store.getState();
      s.openGraph(laidOut(graph));
      s.updateTraining(guide.training);
      s.startGuide(guide.id);
      // Its training setup is part of opening it, not an edit: a guided project just opened has nothing to lose.
      store.setState({ isDirty: false });
    });
  };
  return (
    <section className="guided-projects" aria-label="Guided projects">
      <h2>Guided projects</h2>
      <div className="guided-grid">
        {GUIDES.map((g) => {
          const graph = g.graph ?? findTemplate(g.template)?.graph;
          return (
            <button
              key={g.id}
              type="button"
              className="template-card guided-card"
              onClick={() => start(g)}
              data-testid={`guide-${g.id}`}
            >
              {graph && (
                <div className="template-thumb">
                  <TemplatePreview graph={laidOut(graph)} />
                </div>
              )}
              <div className="template-title">
                <span className="guided-tag">Guided</span> {g.title}
              </div>
              <p className="template-desc">{g.summary}</p>
              <p className="guided-meta muted small">
                {g.steps.length} steps · starts from {graph?.name ?? g.template}
              </p>
            </button>
          );
        })}
      </div>
    </section>
  );
}
