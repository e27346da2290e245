import { etaSeconds, formatDuration } from '../../lib/trainSetup';
import { useAppStore } from '../../store';

const STATUS_TEXT: Record<string, string> = {
  preparing: 'Preparing data and compiling…',
  training: 'Training',
  paused: 'Paused',
  done: 'Done',
  stopped: 'Stopped',
  error: 'Failed',
};

/** Step n of N, a bar, and the time left at the measured pace. */
export function RunProgress() {
  const run = useAppStore((s) => s.run);
  const isKept = useAppStore((s) => s.run !== null && s.runs.some((r) => r.id === s.run?.id));
  if (!run) return <p className="muted small run-progress">No run yet: pick data, then Train.</p>;
  const pct = run.totalSteps > 0 ? Math.min(100, (100 * run.step) / run.totalSteps) : 0;
  const eta = run.status === 'training' ? etaSeconds(run.steps, run.totalSteps) : null;
  return (
    <div className="run-progress" data-testid="train-progress">
      <div className="progress-text small">
        <strong data-testid="run-status">{STATUS_TEXT[run.status] ?? run.status}</strong>
        <span>
          step <span data-testid="run-step">{run.step}</span> / {run.totalSteps}
        </span>
        {eta !== null && <span data-testid="run-eta">about {formatDuration(eta)} left</span>}
        <span className="muted run-name" title={run.name}>
          {run.name}
        </span>
        {isKept && (
          <span
            className="run-kept"
            data-testid="run-kept"
            title="Its curves are in the project; its weights are kept with it"
          >
            ✓ kept with the project
          </span>
        )}
      </div>
      <div
        className="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={run.totalSteps}
        aria-valuenow={run.step}
      >
        <div className={`progress-fill ${run.status}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
