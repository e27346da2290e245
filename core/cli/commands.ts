import { checkCommand } from './check';
import type { Command } from './command';

/** Every subcommand, in help order. Adding one is one line here (DESIGN §5). */
export const COMMANDS: readonly Command[] = [checkCommand];

export const findCommand = (name: string): Command | undefined => COMMANDS.find((c) => c.name === name);
