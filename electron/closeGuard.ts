/**
 * Whether a window may close, as a small state machine (tested without Electron). The renderer reports unsaved
 * changes with `app:setDirty`; on close main asks Save / Don't Save / Cancel. "Save" runs the renderer's normal
 * save (via the menu command) and closes only when that save succeeds; a cancelled or failed save keeps the window.
 */
export type CloseAnswer = 'save' | 'discard' | 'cancel';

export class CloseGuard {
  private dirty = false;
  private savingToClose = false;
  private approved = false;

  setDirty(dirty: boolean): void {
    this.dirty = dirty;
    if (dirty) this.approved = false;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** The window asked to close: let it, or ask the user first. */
  onCloseRequested(): 'close' | 'ask' {
    return !this.dirty || this.approved ? 'close' : 'ask';
  }

  /** The user's answer: close now, start a save (then wait for onSaveFinished), or stay. */
  onAnswer(answer: CloseAnswer): 'close' | 'save' | 'stay' {
    if (answer === 'discard') {
      this.approved = true;
      return 'close';
    }
    if (answer === 'save') {
      this.savingToClose = true;
      return 'save';
    }
    return 'stay';
  }

  /** A project save finished (main handles every save, so it always knows): close if that save was for closing. */
  onSaveFinished(saved: boolean): 'close' | 'stay' {
    if (!this.savingToClose) return 'stay';
    this.savingToClose = false;
    if (!saved) return 'stay';
    this.approved = true;
    return 'close';
  }
}
