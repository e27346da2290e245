import { useTraining } from '../../app/training';
import { useAppStore } from '../../store';
import { BACKEND_CHOICES, type BackendChoice } from '../../store/runSlice';

const isChoice = (v: string): v is BackendChoice => BACKEND_CHOICES.some((c) => c === v);

/** The status bar's backend: which one tf.js runs on in the worker, and a manual override. */
export function BackendStatus() {
  const client = useTraining();
  const backend = useAppStore((s) => s.backend);
  const status = useAppStore((s) => s.run?.status);
  const isRunning = status === 'preparing' || status === 'training' || status === 'paused';
  const tried = backend.tried.filter((t) => t.error).map((t) => `${t.name}: ${t.error}`);
  return (
    <span
      className="stat backend-status"
      title={tried.length ? `Skipped: ${tried.join('; ')}` : 'The tf.js backend training runs on'}
    >
      Backend <strong data-testid="backend-name">{backend.isStarting ? '…' : (backend.name ?? 'none')}</strong>
      <select
        className="batch-input backend-select"
        value={backend.choice}
        disabled={!client || isRunning}
        aria-label="Backend"
        data-testid="backend-select"
        onChange={(e) => {
          if (isChoice(e.target.value)) client?.chooseBackend(e.target.value);
        }}
      >
        {BACKEND_CHOICES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </span>
  );
}
