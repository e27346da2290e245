import { useAppStore } from '../../store';
import { runColour } from './colours';
import type { CompareRun } from './compareData';
import { useCompare } from './compareContext';
import { answeringRuns, askEach } from './askRuns';

/** Sampling seed shared by every run, so the continuations differ by model, not by luck. */
const SEED = 7;

/** One prompt, each next-token run's continuation side by side (the Generate tab's temperature, top-k, length). */
export function SamePrompt({ runs }: { runs: readonly CompareRun[] }) {
  const services = useCompare();
  const prompt = useAppStore((s) => s.comparePrompt);
  const setPrompt = useAppStore((s) => s.setComparePrompt);
  const options = useAppStore((s) => s.generateOptions);
  const answers = useAppStore((s) => s.compareAnswers);
  const lms = answeringRuns(runs);
  const busy = lms.some((r) => answers[r.id]?.isGenerating);

  const generate = (): void => {
    if (!services) return;
    const s = services.store.getState();
    for (const r of lms) s.setCompareAnswer(r.id, { generated: '', isGenerating: true });
    void askEach(services, lms, (id) =>
      services.client
        .generate(id, prompt, { ...options, seed: SEED }, (text) =>
          services.store.getState().appendCompareGenerated(id, text, false),
        )
        .then(() => services.store.getState().appendCompareGenerated(id, '', true)),
    );
  };

  return (
    <section className="compare-group" aria-label="Same prompt">
      <h3>Same prompt</h3>
      <div className="compare-ask">
        <input
          className="field-input"
          value={prompt}
          placeholder="A prompt, e.g. ROMEO:"
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && !busy && lms.length > 0 && generate()}
          aria-label="Prompt for every run"
          data-testid="compare-prompt"
        />
        <button
          type="button"
          className="primary"
          disabled={!services || busy || lms.length === 0}
          onClick={generate}
          data-testid="compare-generate"
        >
          {busy ? 'Generating…' : 'Generate'}
        </button>
      </div>
      {lms.length === 0 && <p className="muted small">Generation compares finished next-token runs.</p>}
      <div className="answer-grid">
        {lms.map((r) => {
          const a = answers[r.id];
          return (
            <div key={r.id} className="answer" data-testid="compare-generated">
              <div className="answer-head small">
                <span className="run-swatch" style={{ background: runColour(r.colour ?? runs.indexOf(r)) }} aria-hidden />{' '}
                {r.label ?? r.name}
              </div>
              {a?.error ? (
                <p className="train-warning small">{a.error}</p>
              ) : a ? (
                <pre className="generated" aria-busy={a.isGenerating}>
                  <span className="muted">{prompt}</span>
                  {a.generated}
                </pre>
              ) : (
                <p className="muted small">—</p>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
