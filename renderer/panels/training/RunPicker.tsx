import { useShallow } from 'zustand/react/shallow';
import { inspectedRun, pickableRuns, runLabel } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';

/**
 * The run Predictions, Attention, Generate and Ask look at: one choice shared by the four tabs (picking in one
 * picks in all), and the picked run named in each, so an older good run can be inspected after a throwaway one.
 */
export function RunPicker({ view }: { view: string }) {
  const runs = useAppStore(useShallow((s) => pickableRuns(s).map((r) => `${r.id}\u0000${r.label}`)));
  const picked = useAppStore(
    useShallow((s) => {
      const r = inspectedRun(s);
      return r ? { id: r.id, label: runLabel(r), hasModel: r.hasModel } : null;
    }),
  );
  const pickRun = useAppStore((s) => s.pickRun);
  const currentId = useAppStore((s) => s.run?.id ?? null);
  if (!picked) return null;
  return (
    <div className="run-picker small" data-testid={`run-picker-${view}`}>
      <label>
        <span className="muted">Run </span>
        <select
          className="field-input"
          value={picked.id}
          onChange={(e) => pickRun(e.target.value === currentId ? null : e.target.value)}
          aria-label="Run to inspect"
          data-testid="run-pick"
        >
          {runs.map((entry) => {
            const [id, label] = entry.split('\u0000');
            return (
              <option key={id} value={id}>
                {label}
                {id === currentId ? ' · current' : ''}
              </option>
            );
          })}
        </select>
      </label>
      <span className="run-picked" data-testid="run-picked">
        Showing <strong>{picked.label}</strong>
        {!picked.hasModel && <span className="muted"> (opening its weights…)</span>}
      </span>
    </div>
  );
}
