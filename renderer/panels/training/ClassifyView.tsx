import type { ClassPrediction } from '../../../core/infer/types';
import { showPiece } from './TokenChips';

/** Green: the token pushed towards the predicted class; red: away from it. */
const weightColour = (w: number, scale: number): string => {
  const a = Math.min(1, Math.abs(w) / scale) * 0.55;
  return w >= 0 ? `hsl(130 65% 42% / ${a})` : `hsl(0 75% 50% / ${a})`;
};

/** Class probabilities, and each token shaded by how much it moved the decision. */
export function ClassifyView({ prediction }: { prediction: ClassPrediction }) {
  const probs = Object.entries(prediction.probs).sort((a, b) => b[1] - a[1]);
  const scale = Math.max(1e-6, ...prediction.tokens.map((t) => Math.abs(t.weight)));
  return (
    <div className="prediction-view">
      <div className="class-probs" data-testid="class-probs">
        {probs.map(([label, p]) => (
          <div key={label} className={`bar-row${label === prediction.label ? ' chosen' : ''}`}>
            <span className="bar-label">{label}</span>
            <span className="bar">
              <span className="bar-fill" style={{ width: `${(100 * p).toFixed(1)}%` }} />
            </span>
            <span className="bar-value">{(100 * p).toFixed(1)}%</span>
          </div>
        ))}
      </div>
      <p className="small muted">Each word shaded by its weight: how much it moved p({prediction.label}).</p>
      <div className="token-chips wrap" data-testid="token-weights">
        {prediction.tokens.map((t, i) => (
          <span
            key={i}
            className="token-chip"
            style={{ background: weightColour(t.weight, scale) }}
            title={`weight ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(3)}`}
            data-testid="token-weight"
            data-weight={t.weight.toFixed(4)}
          >
            {showPiece(t.text)}
          </span>
        ))}
      </div>
    </div>
  );
}
