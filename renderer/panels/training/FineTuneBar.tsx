import { useAppStore } from '../../store';

/**
 * Fine-tune… on a finished run (the Train tab, next to the run): the next Train starts from its weights. While
 * set up, a banner says what will happen; the data is chosen above, the graph edited on the canvas (a new head is
 * fine), blocks frozen in the inspector.
 */
export function FineTuneBar() {
  const run = useAppStore((s) => s.run);
  const fineTune = useAppStore((s) => s.fineTune);
  const frozen = useAppStore((s) => s.frozen);
  const begin = useAppStore((s) => s.beginFineTune);
  const cancel = useAppStore((s) => s.cancelFineTune);
  if (fineTune)
    return (
      <div className="finetune-bar" role="status" data-testid="finetune-bar">
        <p className="small">
          ❄ Fine-tuning from <strong>{fineTune.name}</strong> (step {fineTune.step}): blocks whose id, type and shapes
          match load its weights, others start at random; its tokenizer ({fineTune.tokenizer}) is reused. Choose the
          data above, change the graph if you like, and freeze blocks in the inspector.
          {frozen.length > 0 && <> Frozen: {frozen.join(', ')}.</>}
        </p>
        <button type="button" className="small-btn" onClick={cancel} data-testid="finetune-cancel">
          Cancel
        </button>
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
    </div>
  );
}
