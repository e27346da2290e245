import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_TRAIN_CONFIG } from '../../../core/train/protocol';
import { useTraining } from '../../app/training';
import { formatBytes, formatCount } from '../../lib/format';
import { estimateRun, formatDuration, measuredTokensPerSec } from '../../lib/trainSetup';
import { useAppStore } from '../../store';
import { useDataPreview } from './useDataPreview';

/** The cost of a run before it starts (time, tokens, memory), and Train / Pause / Resume / Stop. */
export function RunControls() {
  const client = useTraining();
  const [totals, seqLen, problems, nodes] = useAppStore(
    useShallow(
      (s) => [s.analysis.totals, s.analysis.seqLen ?? 0, s.analysis.diagnostics.length, s.graph.nodes.length] as const,
    ),
  );
  const steps = useAppStore((s) => s.training.steps ?? DEFAULT_TRAIN_CONFIG.steps);
  const batchSize = useAppStore((s) => s.batchSize);
  const backend = useAppStore((s) => s.backend.name);
  const status = useAppStore((s) => s.run?.status);
  const error = useAppStore((s) => (s.run?.status === 'error' ? s.run.error : undefined));
  // Once a run has measured its speed on this machine, that beats the assumed throughput.
  const measured = useAppStore((s) => measuredTokensPerSec(s.run?.steps));
  const est = estimateRun(totals, seqLen, steps, batchSize, backend);
  const seconds = measured ? est.tokens / measured : est.seconds;
  const dataError = useDataPreview()?.error;
  const isActive = status === 'preparing' || status === 'training' || status === 'paused';
  const blocker =
    !client || !backend
      ? 'Starting the training worker…'
      : nodes === 0
        ? 'Add blocks first.'
        : problems > 0
          ? 'Fix the graph’s problems first.'
          : dataError
            ? 'Choose text data first (see Data).'
            : null;
  return (
    <div className="train-group run-controls">
      <p
        className="estimate small"
        data-testid="train-estimate"
        title="3 × FLOPs/token × tokens ÷ an assumed speed for this backend; weights, gradients, Adam moments and activations"
      >
        ≈ <strong>{formatDuration(seconds)}</strong> on {backend ?? '…'} {measured ? '(measured)' : '(assumed speed)'} ·{' '}
        {formatCount(est.tokens)} tokens · <strong>{formatBytes(est.memoryBytes)}</strong> memory
      </p>
      <div className="train-row">
        {!isActive ? (
          <button
            type="button"
            className="primary"
            disabled={blocker !== null}
            title={blocker ?? 'Train this graph'}
            onClick={() => client?.start()}
            data-testid="train-start"
          >
            ▶ Train
          </button>
        ) : status === 'paused' ? (
          <button type="button" className="primary" onClick={() => client?.resume()} data-testid="train-resume">
            ▶ Resume
          </button>
        ) : (
          <button
            type="button"
            onClick={() => client?.pause()}
            disabled={status === 'preparing'}
            data-testid="train-pause"
          >
            ❚❚ Pause
          </button>
        )}
        <button type="button" onClick={() => client?.stop()} disabled={!isActive} data-testid="train-stop">
          ■ Stop
        </button>
        {blocker && !isActive && <span className="muted small">{blocker}</span>}
      </div>
      {error && (
        <p className="train-warning small" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
    </div>
  );
}
