import { backendLabel, verdictLine } from '../../../core/worker/verdicts';
import { useTraining } from '../../app/training';
import { useAppStore } from '../../store';
import { BACKEND_CHOICES, type BackendChoice } from '../../store/runSlice';

const isChoice = (v: string): v is BackendChoice => BACKEND_CHOICES.some((c) => c === v);

/**
 * The status bar's backend: the one tf.js runs on in the worker, with a menu that lists every backend and its
 * verdict on the model (does it start, software renderer, results equal to the reference, tokens/s, which one
 * auto picked) and lets the user force one. A forced backend that failed verification shows a warning sign.
 */
export function BackendStatus() {
  const client = useTraining();
  const backend = useAppStore((s) => s.backend);
  const status = useAppStore((s) => s.run?.status);
  const isRunning = status === 'preparing' || status === 'training' || status === 'paused';
  const picked = backend.report?.picked;
  const label = backend.isStarting ? '…' : backend.name ? backendLabel(backend.name, backend.verdicts) : 'none';
  const lines = backend.verdicts.map((v) => verdictLine(v, backend.choice === 'auto' && v.name === picked));
  const autoLine = picked
    ? `auto — the fastest verified backend (${backendLabel(picked, backend.report?.verdicts ?? [])})`
    : 'auto — checks each backend on your model before its first run';
  return (
    <span
      className="stat backend-status"
      title={lines.length ? lines.join('\n') : 'The tf.js backend training runs on'}
    >
      Backend <strong data-testid="backend-name">{label}</strong>
      {backend.warning && (
        <span
          className="backend-warning"
          role="img"
          aria-label={backend.warning}
          title={backend.warning}
          data-testid="backend-warning"
        >
          ⚠
        </span>
      )}
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
        {BACKEND_CHOICES.map((c) => {
          const v = backend.verdicts.find((x) => x.name === c);
          const text = c === 'auto' ? autoLine : v ? lines[backend.verdicts.indexOf(v)] : c;
          return (
            <option key={c} value={c} data-testid={`backend-option-${c}`}>
              {text}
            </option>
          );
        })}
      </select>
      {backend.checking && (
        <span className="backend-checking" role="status" data-testid="backend-checking">
          {backend.checking}
        </span>
      )}
    </span>
  );
}
