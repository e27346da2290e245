import { formatDuration } from '../../lib/trainSetup';
import { useAppStore } from '../../store';
import type { RaceEntry } from '../../store/compareSlice';

const STATUS: Record<RaceEntry['status'], string> = {
  waiting: 'waiting',
  preparing: 'compiling…',
  training: 'training',
  paused: 'paused',
  done: 'done',
  stopped: 'stopped',
  error: 'failed',
};

/** One bar per raced graph: steps of the budget, or seconds of it for a time budget. */
export function RaceProgress() {
  const race = useAppStore((s) => s.race);
  const raceRuns = useAppStore((s) => s.raceRuns);
  const records = useAppStore((s) => s.runs);
  if (!race) return null;
  const budget = race.budget;
  return (
    <ol className="race-progress" data-testid="race-progress">
      {race.entries.map((e, i) => {
        const live = e.runId ? raceRuns[e.runId] : undefined;
        const last = live?.steps.at(-1);
        const kept = e.runId !== undefined && records.some((r) => r.id === e.runId);
        const status = live && !kept ? live.status : e.status;
        const done = status === 'done' || status === 'stopped' || kept;
        const frac = done
          ? 1
          : budget.kind === 'steps'
            ? (last?.step ?? 0) / budget.steps
            : (last?.elapsed ?? 0) / (budget.minutes * 60);
        return (
          <li key={i} className="race-entry" data-testid="race-entry" data-status={status}>
            <div className="progress-text small">
              <strong>{e.label}</strong>
              <span className={`run-badge ${status}`}>{STATUS[status]}</span>
              {last && !done && (
                <span className="muted">
                  {budget.kind === 'steps'
                    ? `step ${last.step} / ${budget.steps}`
                    : `${formatDuration(last.elapsed)} / ${formatDuration(budget.minutes * 60)}`}
                </span>
              )}
            </div>
            <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={1} aria-valuenow={frac}>
              <div
                className={`progress-fill ${status}`}
                style={{ width: `${Math.min(100, 100 * frac).toFixed(1)}%` }}
              />
            </div>
            {e.error && <p className="train-warning small">{e.error}</p>}
          </li>
        );
      })}
    </ol>
  );
}
