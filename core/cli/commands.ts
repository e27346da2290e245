import { checkCommand } from './check';
import type { Command } from './command';
import { compareCommand } from './compare';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { predictCommand } from './predict';
import { trainCommand } from './train';

/** Every subcommand, in help order. Adding one is one line here (docs/cli.md). */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  trainCommand,
  predictCommand,
  generateCommand,
  exportCommand,
  compareCommand,
];

export const findCommand = (name: string): Command | undefined => COMMANDS.find((c) => c.name === name);
