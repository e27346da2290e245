import { useCallback, useRef } from 'react';
import { useCommands } from '../app/commands';
import { useAppStore } from '../store';
import { useDialogFocus } from './useDialogFocus';

/**
 * Save / Discard / Cancel before New, Open or a template replaces a document with unsaved edits or runs (or a
 * run still training), as every desktop app asks. Save runs the request only once the file was written.
 */
export function UnsavedDialog() {
  const request = useAppStore((s) => s.leaveRequest);
  return request ? <UnsavedPrompt what={request.what} /> : null;
}

function UnsavedPrompt({ what }: { what: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const commands = useCommands();
  const settle = useAppStore((s) => s.settleLeave);
  const name = useAppStore((s) => s.fileHandle?.name ?? s.graph.name);
  const runs = useAppStore((s) => s.runs.length);
  const isTraining = useAppStore((s) => s.run !== null && ['preparing', 'training', 'paused'].includes(s.run.status));
  const cancel = useCallback(() => settle(false), [settle]);
  useDialogFocus(ref, cancel);
  const save = async (): Promise<void> => {
    if (await commands.save()) settle(true);
  };
  const lost = [
    'its unsaved changes',
    runs > 0 && `${runs} trained run${runs === 1 ? '' : 's'}`,
    isTraining && 'the run in progress',
  ].filter(Boolean);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && cancel()}>
      <div
        ref={ref}
        className="modal unsaved-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-title"
        aria-describedby="unsaved-text"
        tabIndex={-1}
        data-testid="unsaved-dialog"
      >
        <h2 id="unsaved-title">Save “{name}” first?</h2>
        <p id="unsaved-text">
          To {what}, this project is closed: {lost.join(', ')} would be lost unless you save it.
        </p>
        <div className="modal-actions">
          <button type="button" onClick={cancel} data-testid="unsaved-cancel">
            Cancel
          </button>
          <button type="button" onClick={() => settle(true)} data-testid="unsaved-discard">
            Discard
          </button>
          <button type="button" className="primary" onClick={() => void save()} data-autofocus data-testid="unsaved-save">
            Save
          </button>
        </div>
      </div>
    </div>
  );
}
