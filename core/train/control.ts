/** Pause / resume / stop for a running training loop; shared by the CLI, the worker and tests. */
export class TrainControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  get isPaused(): boolean {
    return this.paused;
  }
  get isStopped(): boolean {
    return this.stopped;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.release();
  }
  stop(): void {
    this.stopped = true;
    this.release();
  }
  /** Resolves when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }
  private release(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
