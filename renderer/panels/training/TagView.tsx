import type { TagPrediction } from '../../../core/predict/types';
import { probabilityColour } from './NextTokenView';
import { showPiece } from './TokenChips';

/** Each token with its predicted tag; the colour is the model's confidence. */
export function TagView({ prediction }: { prediction: TagPrediction }) {
  return (
    <div className="token-chips wrap tags" data-testid="prediction-tags">
      {prediction.tokens.map((t, i) => (
        <span
          key={i}
          className="tag-cell"
          title={t.top.map((c) => `${c.tag} ${(100 * c.p).toFixed(0)}%`).join(', ')}
          data-testid="prediction-tag"
        >
          <span className="token-chip">{showPiece(t.text)}</span>
          <span className="tag-label" style={{ background: probabilityColour(t.p) }}>
            {t.tag} <span className="muted">{(100 * t.p).toFixed(0)}%</span>
          </span>
        </span>
      ))}
    </div>
  );
}
