import type { ClassPrediction } from '../../../core/predict/types';
import { showPiece } from './TokenChips';

/**
 * Shading is absolute, not relative to the strongest word: ±FULL_SHADE nats of log-odds (odds ×20 or ÷20) is
 * the full colour, so a weak word looks weak even when it is the strongest one in the text.
 */
export const FULL_SHADE = 3;

/** Green: the token pushed towards the predicted class; red: away from it. */
const weightColour = (w: number): string => {
  const a = Math.min(1, Math.abs(w) / FULL_SHADE) * 0.6;
  return w >= 0 ? `hsl(130 65% 42% / ${a})` : `hsl(0 75% 50% / ${a})`;
};

const signed = (w: number): string => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`;
const oddsFactor = (w: number): string => {
  const f = Math.exp(Math.abs(w));
  return `odds ${w >= 0 ? '×' : '÷'}${f < 10 ? f.toFixed(2) : f.toFixed(0)}`;
};

/** Class probabilities, and each token shaded by how much it moved the decision, with a signed legend. */
export function ClassifyView({ prediction }: { prediction: ClassPrediction }) {
  const probs = Object.entries(prediction.probs).sort((a, b) => b[1] - a[1]);
  const label = prediction.label;
  return (
    <div className="prediction-view">
      <div className="class-probs" data-testid="class-probs">
        {probs.map(([name, p]) => (
          <div key={name} className={`bar-row${name === label ? ' chosen' : ''}`}>
            <span className="bar-label">{name}</span>
            <span className="bar">
              <span className="bar-fill" style={{ width: `${(100 * p).toFixed(1)}%` }} />
            </span>
            <span className="bar-value">{(100 * p).toFixed(1)}%</span>
          </div>
        ))}
      </div>
      <p className="small muted">
        Each word shaded by how much it moved the decision for <strong>{label}</strong>: the change in log-odds of{' '}
        {label} when the word is left out (occlusion). Hover a word for its value.
      </p>
      <div className="token-chips wrap" data-testid="token-weights">
        {prediction.tokens.map((t, i) => (
          <span
            key={i}
            className="token-chip"
            style={{ background: weightColour(t.weight) }}
            title={`${signed(t.weight)} log-odds of ${label} (${oddsFactor(t.weight)})`}
            data-testid="token-weight"
            data-weight={t.weight.toFixed(4)}
          >
            {showPiece(t.text)}
          </span>
        ))}
      </div>
      <div className="weight-legend small" data-testid="weight-legend" aria-label="Colour legend">
        <span>away from {label}</span>
        <span className="weight-scale" aria-hidden="true" />
        <span>towards {label}</span>
        <span className="muted weight-ticks">
          −{FULL_SHADE} · 0 · +{FULL_SHADE} log-odds (odds ÷{Math.round(Math.exp(FULL_SHADE))} … ×
          {Math.round(Math.exp(FULL_SHADE))}); stronger words are the full colour
        </span>
      </div>
    </div>
  );
}
