import { useTraining } from '../../app/training';
import { compareWithScratch } from '../../services/scratchCompare';
import { useAppStore, useAppStoreApi } from '../../store';

/**
 * Fine-tune… on a finished run (the Train tab, next to the run): the next Train starts from its weights. While
 * set up, a banner says what will happen; the data is chosen above, the graph edited on the canvas (a new head is
 * fine), blocks frozen by clicking them on the canvas in freeze mode (or in the inspector). A finished fine-tuned
 * run offers Compare with scratch: the same graph, data and steps from random weights, side by side.
 */
export function FineTuneBar() {
  const store = useAppStoreApi();
  const client = useTraining();
  const run = useAppStore((s) => s.run);
  const fineTune = useAppStore((s) => s.fineTune);
  const frozen = useAppStore((s) => s.frozen);
  const isFreezeMode = useAppStore((s) => s.isFreezeMode);
  const canUndo = useAppStore((s) => s.frozenPast.length > 0);
  const isRecorded = useAppStore((s) => s.runs.some((r) => r.id === s.run?.id));
  const isScratchPending = useAppStore((s) => s.scratchCompare !== null);
  const begin = useAppStore((s) => s.beginFineTune);
  const cancel = useAppStore((s) => s.cancelFineTune);
  const setFreezeMode = useAppStore((s) => s.setFreezeMode);
  const undoFreeze = useAppStore((s) => s.undoFreeze);
  if (fineTune)
    return (
      <div className="finetune-bar" role="status" data-testid="finetune-bar">
        <p className="small">
          ❄ Fine-tuning from <strong>{fineTune.name}</strong> (step {fineTune.step}): blocks whose id, type and shapes
          match load its weights, others start at random; its tokenizer ({fineTune.tokenizer}) is reused. Choose the
          data above, change the graph if you like, and freeze blocks by clicking them on the canvas.
          {frozen.length > 0 && <> Frozen: {frozen.join(', ')}.</>}
        </p>
        <div className="finetune-actions">
          <button
            type="button"
            className={`small-btn${isFreezeMode ? ' active' : ''}`}
            aria-pressed={isFreezeMode}
            onClick={() => setFreezeMode(!isFreezeMode)}
            title="While on, a click on a block freezes or thaws it (Ctrl+Z undoes)"
            data-testid="freeze-mode"
          >
            {isFreezeMode ? 'Done freezing' : 'Freeze blocks…'}
          </button>
          {isFreezeMode && (
            <button type="button" className="small-btn" disabled={!canUndo} onClick={undoFreeze} data-testid="freeze-undo">
              Undo
            </button>
          )}
          <button type="button" className="small-btn" onClick={cancel} data-testid="finetune-cancel">
            Cancel
          </button>
        </div>
        {isFreezeMode && (
          <p className="muted small" data-testid="freeze-hint">
            Click blocks on the canvas to freeze or thaw them: a frozen block turns blue and says “❄ frozen”.
          </p>
        )}
      </div>
    );
  const isFinished = run && (run.status === 'done' || run.status === 'stopped') && run.hasModel;
  if (!isFinished) return null;
  return (
    <div className="finetune-bar">
      <span className="muted small">
        {run.parent ? `Fine-tuned from ${run.parent.name} (its step ${run.parent.step}).` : `${run.name} is trained.`}
      </span>
      <button
        type="button"
        className="small-btn"
        title="Train a new run that starts from this run's weights"
        onClick={() => begin({ runId: run.id, name: run.name, step: run.step, tokenizer: run.tokenizer ?? 'char' })}
        data-testid="finetune-open"
      >
        Fine-tune…
      </button>
      {run.parent && (
        <button
          type="button"
          className="small-btn"
          disabled={!client || !isRecorded || isScratchPending}
          title="Train the same graph from random weights on the same data for the same steps (or pick such a run), then compare both"
          onClick={() => client && compareWithScratch(store, client, run.id)}
          data-testid="compare-scratch"
        >
          Compare with scratch
        </button>
      )}
    </div>
  );
}
