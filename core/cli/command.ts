import type { NodeRegistry } from '../graph/params';

/** Where a command writes, so tests can run it in-process. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Is stdout a terminal (progress bars, colours)? */
  isTTY: boolean;
  /** Node catalog; the real one unless a test passes a fake. */
  registry?: NodeRegistry;
}

/** One subcommand: `run` returns the exit code; user mistakes are thrown as UserError. */
export interface Command {
  name: string;
  /** One line, e.g. `wordloom check <graph.json> [--json]`. */
  usage: string;
  summary: string;
  run: (args: string[], io: CliIO) => Promise<number>;
}
