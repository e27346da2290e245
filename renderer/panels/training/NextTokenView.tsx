import type { NextTokenPrediction } from '../../../core/predict/types';
import { useAppStore } from '../../store';
import { showPiece } from './TokenChips';

/** Red (the model did not expect this token) to green (it did). */
export const probabilityColour = (p: number | undefined): string | undefined =>
  p === undefined ? undefined : `hsl(${Math.round(120 * Math.max(0, Math.min(1, p)))} 75% 45% / 0.35)`;

/** Each token coloured by the probability the model gave it; a click shows the top-k next tokens there. */
export function NextTokenView({ prediction }: { prediction: NextTokenPrediction }) {
  const selected = useAppStore((s) => s.selectedPosition);
  const select = useAppStore((s) => s.selectPosition);
  const at = selected ?? prediction.tokens.length - 1;
  const token = prediction.tokens[at];
  // The detail is about one position: what comes after token `at`, and how the token that does come there scored.
  const next = prediction.tokens[at + 1];
  return (
    <div className="prediction-view two-col">
      <div>
        <p className="small muted legend">
          Colour: the probability the model gave each token, <span className="swatch low">low</span> to{' '}
          <span className="swatch high">high</span>. Click a token to see what it expects next.
        </p>
        <div className="token-chips wrap big" data-testid="prediction-tokens">
          {prediction.tokens.map((t, i) => (
            <button
              key={i}
              type="button"
              className={`token-chip pred${i === at ? ' selected' : ''}`}
              style={{ background: probabilityColour(t.p) }}
              title={
                t.p === undefined
                  ? 'first token: nothing before it'
                  : `p = ${t.p.toFixed(3)}, loss ${t.loss?.toFixed(2)}`
              }
              onClick={() => select(i)}
              data-testid="prediction-token"
            >
              {showPiece(t.text)}
            </button>
          ))}
        </div>
      </div>
      {token && (
        <div className="topk" data-testid="topk">
          <p className="small">
            After <Context tokens={prediction.tokens.slice(0, at + 1).map((t) => t.text)} /> the model expects:
          </p>
          <p className="small muted" data-testid="position-loss">
            {next?.loss !== undefined ? (
              <>
                The text goes on with <code>{showPiece(next.text)}</code>: the model gave it p = {next.p?.toFixed(3)}{' '}
                (loss {next.loss.toFixed(3)}).
              </>
            ) : (
              'The end of your text: click an earlier token to see how the token after it scored.'
            )}
          </p>
          {token.top.map((c) => (
            <div key={c.id} className="bar-row" data-testid="topk-row">
              <code className="bar-label">{showPiece(c.token)}</code>
              <span className="bar">
                <span className="bar-fill" style={{ width: `${(100 * c.p).toFixed(1)}%` }} />
              </span>
              <span className="bar-value">{(100 * c.p).toFixed(1)}%</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Whole tokens before a position, at most about 24 characters of them, each shown as itself. */
function Context({ tokens }: { tokens: string[] }) {
  const shown: string[] = [];
  let chars = 0;
  for (let i = tokens.length - 1; i >= 0 && (shown.length === 0 || chars + tokens[i].length <= 24); i--) {
    shown.unshift(tokens[i]);
    chars += tokens[i].length;
  }
  return (
    <span className="context-tokens" data-testid="topk-context">
      {shown.length < tokens.length && <span className="muted">…</span>}
      {shown.map((t, i) => (
        <code key={i} className="context-token">
          {showPiece(t)}
        </code>
      ))}
    </span>
  );
}
