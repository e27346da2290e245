import { displayText } from '../graph/display';

/**
 * A mistake the user can fix (missing file, unknown flag, bad value). The CLI prints its message,
 * one sentence, to stderr and exits 1, never with a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** What the CLI prints for an error: the message on one line (a stack only with WORDLOOM_DEBUG=1). */
export function describeError(err: unknown, debug: boolean): string {
  if (err instanceof UserError) return displayText(err.message);
  const message = err instanceof Error ? err.message : String(err);
  const oneLine = displayText(message.split('\n')[0].trim()) || 'Something went wrong.';
  if (debug && err instanceof Error && err.stack) return `${oneLine}\n${err.stack}`;
  return oneLine;
}
