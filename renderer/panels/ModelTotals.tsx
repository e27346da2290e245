import { formatBytes, formatCount } from '../lib/format';
import { trainingMemoryBytes } from '../lib/memory';
import { useAppStore } from '../store';
import { BackendStatus } from './training/BackendStatus';

/** The status bar: the model's size and cost, always visible, plus whether the graph checks out. */
export function ModelTotals() {
  const totals = useAppStore((s) => s.analysis.totals);
  const problems = useAppStore((s) => s.analysis.diagnostics.length);
  // With an invalid block the totals count only the blocks that check out: say so rather than pass them off.
  const isPartial = useAppStore((s) => s.analysis.diagnostics.some((d) => d.severity === 'error'));
  const at = isPartial ? '≥ ' : '';
  const nodes = useAppStore((s) => s.graph.nodes.length);
  const batchSize = useAppStore((s) => s.batchSize);
  const setBatchSize = useAppStore((s) => s.setBatchSize);
  const memory = trainingMemoryBytes(totals, batchSize);
  return (
    <footer className="statusbar" data-testid="model-totals">
      <span className="stat" title="Trainable numbers in the model">
        Parameters <strong data-testid="total-params">{at}{totals.params.toLocaleString('en-US')}</strong>
      </span>
      <span className="stat" title="Floating-point operations to process one token (forward pass)">
        FLOPs/token <strong data-testid="total-flops">{at}{formatCount(totals.flopsPerToken)}</strong>
      </span>
      <span
        className="stat"
        title="Weights + gradients + Adam moments (4 × params × 4 bytes) + activations × batch × 4 bytes"
      >
        Training memory <strong data-testid="total-memory">{at}{formatBytes(memory)}</strong> at batch
        <input
          className="batch-input"
          type="number"
          min={1}
          max={4096}
          value={batchSize}
          aria-label="Batch size for the memory estimate"
          onChange={(e) => {
            const b = Math.round(Number(e.target.value));
            if (Number.isFinite(b) && b >= 1) setBatchSize(b);
          }}
          data-testid="batch-size"
        />
      </span>
      {isPartial && (
        <span className="status-bad stat" data-testid="totals-incomplete" title="Blocks with errors are not counted">
          incomplete — fix the errors
        </span>
      )}
      <BackendStatus />
      <span className="spacer" />
      {nodes > 0 &&
        (problems === 0 ? (
          <span className="status-ok" data-testid="status-ok">
            ✓ Graph checks out
          </span>
        ) : (
          <span className="status-bad" data-testid="status-problems">
            {problems} problem{problems === 1 ? '' : 's'}
          </span>
        ))}
    </footer>
  );
}
