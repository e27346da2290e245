import { getNodeDef } from '../../../core/nodes/index';
import { inspectedRun } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';
import { RunPicker } from './RunPicker';
import { AttentionHeatmap } from './AttentionHeatmap';
import { showPiece } from './TokenChips';
import { useInsightRequest } from './useInsightRequest';

/** Heatmaps per attention block and head for the current text; hovering a token shows what it attends to. */
export function AttentionPanel() {
  useInsightRequest('attention');
  const text = useAppStore((s) => s.predictText);
  const setText = useAppStore((s) => s.setPredictText);
  const maps = useAppStore((s) => s.attention);
  const nodeId = useAppStore((s) => s.attentionNode);
  const head = useAppStore((s) => s.attentionHead);
  const hover = useAppStore((s) => s.attentionHover);
  const select = useAppStore((s) => s.selectAttention);
  const setHover = useAppStore((s) => s.hoverAttention);
  const dark = useAppStore((s) => s.theme === 'dark');
  const hasModel = useAppStore((s) => inspectedRun(s)?.hasModel ?? false);
  const hasAttention = useAppStore((s) =>
    s.graph.nodes.some((n) => getNodeDef(n.type)?.capabilities.attentionMaps === true),
  );
  const map = maps.find((m) => m.nodeId === nodeId) ?? maps[0];
  const matrix = map?.heads[head] ?? map?.heads[0];
  const row = hover !== null && matrix ? matrix[hover] : undefined;
  return (
    <div className="insight-panel" data-testid="attention-panel">
      <RunPicker view="attention" />
      <div className="insight-head">
        <input
          className="field-input"
          value={text}
          placeholder="Type text to see where each token looks…"
          onChange={(e) => setText(e.target.value)}
          aria-label="Text for attention"
          data-testid="attention-input"
        />
      </div>
      {!hasAttention ? (
        <p className="muted small">This graph has no attention blocks (SelfAttention or TransformerBlock).</p>
      ) : !hasModel ? (
        <p className="muted small">Train the model (or open a saved run) to see its attention.</p>
      ) : !map || !matrix ? (
        <p className="muted small">{text.trim() ? 'Asking the model…' : 'Type some text above.'}</p>
      ) : (
        <div className="attention-body">
          <div className="attention-side">
            <select
              className="field-input"
              value={map.nodeId}
              onChange={(e) => select(e.target.value, 0)}
              aria-label="Attention block"
              data-testid="attention-node"
            >
              {maps.map((m) => (
                <option key={m.nodeId} value={m.nodeId}>
                  {m.nodeId} ({m.heads.length} heads)
                </option>
              ))}
            </select>
            <div className="head-thumbs">
              {map.heads.map((h, i) => (
                <AttentionHeatmap
                  key={i}
                  matrix={h}
                  tokens={map.tokens}
                  maxSize={72}
                  labels={false}
                  hover={null}
                  isSelected={i === head}
                  dark={dark}
                  onClick={() => select(map.nodeId, i)}
                  testId={`attention-head-${i}`}
                  title={`head ${i + 1}`}
                />
              ))}
            </div>
            <p className="muted small">
              Rows: the token that looks. Columns: the tokens it looks at (causal blocks only look back).
            </p>
          </div>
          <div>
            <p className="small">
              <strong>{map.nodeId}</strong>, head {head + 1}
            </p>
            <AttentionHeatmap
              matrix={matrix}
              tokens={map.tokens}
              maxSize={320}
              labels
              hover={hover}
              dark={dark}
              onHover={setHover}
              testId="attention-heatmap"
            />
          </div>
          <div className="attention-tokens">
            <p className="small muted">Hover a token: the others light up by how much it attends to them.</p>
            <div className="token-chips wrap" data-testid="attention-tokens">
              {map.tokens.map((t, i) => (
                <span
                  key={i}
                  className={`token-chip${i === hover ? ' selected' : ''}`}
                  style={row ? { background: `hsl(222 80% 55% / ${Math.sqrt(row[i] ?? 0) * 0.8})` } : undefined}
                  onMouseEnter={() => setHover(i)}
                  onMouseLeave={() => setHover(null)}
                  data-testid="attention-token"
                >
                  {showPiece(t)}
                </span>
              ))}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
