import { useEffect, useState } from 'react';
import { EXPORT_OPTIONS, exportRun, type ExportChoice } from '../../services/exportRun';
import { useAppStore } from '../../store';
import { errorText, useCompare } from './compareContext';

/** File > Export… and a run's Export… button: pick the run and the format; the files go to a folder or a download. */
export function ExportDialog() {
  const services = useCompare();
  const runs = useAppStore((s) => s.runs);
  const initial = useAppStore((s) => s.exportRunId);
  const close = useAppStore((s) => s.closeExport);
  const notify = useAppStore((s) => s.notify);
  const [runId, setRunId] = useState(initial && runs.some((r) => r.id === initial) ? initial : (runs.at(-1)?.id ?? ''));
  const [choice, setChoice] = useState<ExportChoice>('tfjs');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const record = runs.find((r) => r.id === runId);
  const option = EXPORT_OPTIONS.find((o) => o.value === choice);
  const noWeights = option?.needsWeights && !record?.weightsRef && !services?.client.holds(runId);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  const submit = async (): Promise<void> => {
    if (!services || !record) return;
    setBusy(true);
    setError(null);
    try {
      const said = await exportRun(services, record.id, choice);
      if (said) notify('info', said);
      close();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal export-dialog"
        role="dialog"
        aria-modal
        aria-labelledby="export-title"
        data-testid="export-dialog"
      >
        <h2 id="export-title">Export a run</h2>
        {runs.length === 0 ? (
          <p className="muted">Nothing to export yet: train a model (or race a few), then export its run.</p>
        ) : (
          <>
            <label className="train-field">
              <span>Run</span>
              <select
                className="field-input"
                value={runId}
                onChange={(e) => setRunId(e.target.value)}
                data-testid="export-run"
              >
                {[...runs].reverse().map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="export-options" role="radiogroup" aria-label="Format">
              {EXPORT_OPTIONS.map((o) => (
                <label key={o.value} className={`export-option${o.value === choice ? ' on' : ''}`}>
                  <input
                    type="radio"
                    name="export-format"
                    value={o.value}
                    checked={o.value === choice}
                    onChange={() => setChoice(o.value)}
                    data-testid={`export-format-${o.value}`}
                  />
                  <span>
                    <strong>{o.label}</strong>
                    <span className="muted small"> {o.detail}</span>
                  </span>
                </label>
              ))}
            </div>
            {noWeights && (
              <p className="train-warning small">
                This run’s weights are not on this computer; export its graph or metrics instead.
              </p>
            )}
            {error && (
              <p className="train-warning small" role="alert" data-testid="export-error">
                {error}
              </p>
            )}
          </>
        )}
        <div className="modal-actions">
          <button type="button" onClick={close} data-testid="export-cancel">
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!services || !record || busy || noWeights}
            onClick={() => void submit()}
            data-testid="export-submit"
          >
            {busy ? 'Exporting…' : services?.platform.kind === 'desktop' ? 'Export to folder…' : 'Download'}
          </button>
        </div>
      </div>
    </div>
  );
}
