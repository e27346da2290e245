import type { CliIO } from './command';
import { COMMANDS, findCommand } from './commands';
import { setBindingResolver } from './binding';
import { dataFileBytes, loadCliData } from './data';
import { describeError, UserError } from './errors';

// `check --data D` reads V and C from the dataset the same way `train` does.
setBindingResolver(async (data, tokenizer) => {
  const d = loadCliData({ data, tokenizer });
  return { ...d.binding, task: d.task, name: d.name, fileBytes: dataFileBytes(data) };
});

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: wordloom <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "wordloom <command> --help" for one command.',
    '',
  ].join('\n');
}

/** Runs the CLI on argv (without "node" and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.err(usage());
      return 1;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      io.out(usage());
      return 0;
    }
    const command = findCommand(name);
    if (!command) {
      const known = COMMANDS.map((c) => c.name).join(', ');
      throw new UserError(`Unknown command "${name}"; wordloom knows ${known} (see wordloom --help).`);
    }
    return await command.run(rest, io);
  } catch (err) {
    io.err(`${describeError(err, process.env.WORDLOOM_DEBUG === '1')}\n`);
    return 1;
  }
}

export function processIO(): CliIO {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
  };
}
