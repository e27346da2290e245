import { UserError } from './errors';

/** The flags a command accepts: a name (without "--") and whether it takes a value. */
export type FlagSpec = Readonly<Record<string, 'string' | 'boolean'>>;

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string>;
  booleans: Set<string>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` (plus `-h`/`--help` everywhere);
 * `--` ends the flags. Any mistake is a UserError naming the flag and the command.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec, command: string): ParsedArgs {
  const out: ParsedArgs = { positionals: [], strings: {}, booleans: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      out.booleans.add('help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const kind = arg.startsWith('--') && Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!kind) {
      throw new UserError(
        `Unknown option ${arg.split('=')[0]} for "wordloom ${command}" (see wordloom ${command} --help).`,
      );
    }
    if (kind === 'boolean') {
      if (eq >= 0) throw new UserError(`Option --${name} of "wordloom ${command}" takes no value.`);
      out.booleans.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '')
      throw new UserError(`Option --${name} of "wordloom ${command}" needs a value.`);
    out.strings[name] = value;
  }
  return out;
}
