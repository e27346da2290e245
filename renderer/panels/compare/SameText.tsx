import type { NextTokenPrediction } from '../../../core/predict/types';
import { useAppStore } from '../../store';
import { showPiece } from '../training/TokenChips';
import { lossColour, runColour, SURPRISE_LOSS } from './colours';
import type { CompareRun } from './compareData';
import { useCompare } from './compareContext';
import { answeringRuns, askEach } from './askRuns';

/** Mean loss over the positions that have one (all but the first). */
export function meanLoss(p: NextTokenPrediction): number | null {
  const losses = p.tokens.flatMap((t) => (t.loss === undefined ? [] : [t.loss]));
  return losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null;
}

/** The tooltip of token i: its loss and probability, and what the model expected there instead. */
function tokenTitle(p: NextTokenPrediction, i: number): string {
  const t = p.tokens[i];
  if (t.loss === undefined) return 'first token: nothing before it';
  const expected = p.tokens[i - 1]?.top[0];
  return `loss ${t.loss.toFixed(2)}, p = ${t.p?.toFixed(3)}${expected ? ` · expected ${showPiece(expected.token)}` : ''}`;
}

/** One text, each run's per-token loss: red where the model was surprised, green where it saw it coming. */
export function SameText({ runs }: { runs: readonly CompareRun[] }) {
  const services = useCompare();
  const text = useAppStore((s) => s.compareText);
  const setText = useAppStore((s) => s.setCompareText);
  const answers = useAppStore((s) => s.compareAnswers);
  const lms = answeringRuns(runs);

  const predict = (): void => {
    if (!services || !text) return;
    void askEach(services, lms, async (id) => {
      const prediction = await services.client.predict(id, text);
      services.store.getState().setCompareAnswer(id, { prediction });
    });
  };

  return (
    <section className="compare-group" aria-label="Same text">
      <h3>Same text, token by token</h3>
      <div className="compare-ask">
        <input
          className="field-input"
          value={text}
          placeholder="A text every model reads, e.g. To be, or not to be"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && predict()}
          aria-label="Text for every run"
          data-testid="compare-text"
        />
        <button
          type="button"
          disabled={!services || !text || lms.length === 0}
          onClick={predict}
          data-testid="compare-predict"
        >
          Compare
        </button>
        <span className="loss-scale small" title={`Per-token loss, 0 to ${SURPRISE_LOSS}+`}>
          <span style={{ background: lossColour(0) }}>expected</span>
          <span style={{ background: lossColour(SURPRISE_LOSS) }}>surprised</span>
        </span>
      </div>
      <div className="answer-rows">
        {lms.map((r) => {
          const a = answers[r.id];
          const p = a?.prediction?.kind === 'next-token' ? a.prediction : undefined;
          const mean = p ? meanLoss(p) : null;
          return (
            <div key={r.id} className="answer-row" data-testid="compare-prediction">
              <div className="answer-head small">
                <span className="run-swatch" style={{ background: runColour(r.colour ?? runs.indexOf(r)) }} aria-hidden />{' '}
                {r.label ?? r.name}
                {mean !== null && <span className="muted"> · mean loss {mean.toFixed(2)}</span>}
              </div>
              {a?.error && <p className="train-warning small">{a.error}</p>}
              {p && (
                <div className="token-chips wrap">
                  {p.tokens.map((t, i) => (
                    <span
                      key={i}
                      className="token-chip pred"
                      style={{ background: lossColour(t.loss) }}
                      title={tokenTitle(p, i)}
                      data-testid="compare-token"
                      data-loss={t.loss?.toFixed(3) ?? ''}
                    >
                      {showPiece(t.text)}
                    </span>
                  ))}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
