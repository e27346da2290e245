import { displayText } from '../graph/display';
import type { CliIO } from './command';

/** How many errors the plain output lists; `--json` lists them all. */
export const PRINTED_ERRORS = 20;

/** Writes one line per message to stderr (escaped), at most `limit`, then a count of the rest. */
export function printProblems(io: CliIO, messages: readonly string[], prefix = '', limit = PRINTED_ERRORS): void {
  for (const m of messages.slice(0, limit)) io.err(`${prefix}${displayText(m)}\n`);
  const rest = messages.length - limit;
  if (rest > 0) io.err(`… and ${rest} more ${prefix ? 'warnings' : 'errors'} (--json lists them all).\n`);
}
