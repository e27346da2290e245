import { findGuide } from '../../lib/guides';
import { useAppStore } from '../../store';

/**
 * The guided project's steps, over the canvas's top-left corner while the user works: one step at a time (what
 * to click, what to look for, why), Back/Next, folded to its title bar with ▾, closed with ×.
 */
export function GuidePanel() {
  const guide = findGuide(useAppStore((s) => s.guide));
  const index = useAppStore((s) => s.guideStep);
  const isFolded = useAppStore((s) => s.isGuideFolded);
  const setStep = useAppStore((s) => s.setGuideStep);
  const toggleFold = useAppStore((s) => s.toggleGuideFold);
  const close = useAppStore((s) => s.closeGuide);
  if (!guide) return null;
  const at = Math.min(index, guide.steps.length - 1);
  const step = guide.steps[at];
  return (
    <aside className={`guide-panel panel${isFolded ? ' folded' : ''}`} aria-label={`Guide: ${guide.title}`} data-testid="guide-panel">
      <header className="guide-head">
        <button
          type="button"
          className="guide-fold"
          onClick={toggleFold}
          aria-expanded={!isFolded}
          title={isFolded ? 'Show the steps' : 'Fold the guide away'}
          data-testid="guide-fold"
        >
          {isFolded ? '▸' : '▾'}
        </button>
        <strong className="guide-title">{guide.title}</strong>
        <span className="muted small" data-testid="guide-progress">
          step {at + 1} of {guide.steps.length}
        </span>
        <button type="button" className="guide-close" onClick={close} title="Close the guide" data-testid="guide-close">
          ×
        </button>
      </header>
      {!isFolded && (
        <div className="guide-body">
          <h3 data-testid="guide-step-title">{step.title}</h3>
          <ol className="guide-actions">
            {step.actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ol>
          <p className="guide-look">
            <strong>Look for: </strong>
            {step.look}
          </p>
          <p className="guide-why">
            <strong>Why: </strong>
            {step.why}
          </p>
          <nav className="guide-nav">
            <button type="button" className="small-btn" disabled={at === 0} onClick={() => setStep(at - 1)} data-testid="guide-back">
              Back
            </button>
            <span className="guide-dots" aria-hidden>
              {guide.steps.map((s, i) => (
                <span key={s.title} className={i === at ? 'dot on' : 'dot'} />
              ))}
            </span>
            {at < guide.steps.length - 1 ? (
              <button type="button" className="small-btn" onClick={() => setStep(at + 1)} data-testid="guide-next">
                Next
              </button>
            ) : (
              <button type="button" className="small-btn" onClick={close} data-testid="guide-done">
                Done
              </button>
            )}
          </nav>
        </div>
      )}
    </aside>
  );
}
