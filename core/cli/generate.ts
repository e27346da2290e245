import { displayRunningText } from '../graph/display';
import { generate } from '../predict/generate';
import { parseArgs } from './args';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { numberFlag } from './numbers';
import { openRunArg } from './run-arg';

const USAGE = 'wordloom generate <run-dir> --prompt "..." [--tokens N] [--temperature X] [--top-k K] [--seed S]';

export const generateCommand: Command = {
  name: 'generate',
  usage: USAGE,
  summary: 'Continue a prompt with a trained next-token model.',
  run: runGenerate,
};

async function runGenerate(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(
    argv,
    { prompt: 'string', tokens: 'string', temperature: 'string', 'top-k': 'string', seed: 'string' },
    'generate',
  );
  if (args.booleans.has('help')) {
    io.out(`Usage: ${USAGE}\n`);
    return 0;
  }
  const prompt = args.strings.prompt;
  if (prompt === undefined) throw new UserError(`wordloom generate needs --prompt (usage: ${USAGE}).`);
  const options = {
    tokens: numberFlag(args.strings.tokens, 'tokens', { int: true, min: 1, max: 100_000, fallback: 200 }),
    temperature: numberFlag(args.strings.temperature, 'temperature', { min: 0, max: 100, fallback: 0.8 }),
    topK: numberFlag(args.strings['top-k'], 'top-k', { int: true, min: 0, max: 10_000_000, fallback: 0 }),
    seed: numberFlag(args.strings.seed, 'seed', { int: true, min: 0, max: 2 ** 32 - 1, fallback: 1 }),
  };
  const run = await openRunArg(args.positionals[0], USAGE);
  try {
    if (run.manifest.data.task !== 'next-token')
      throw new UserError(
        `${args.positionals[0]} is a ${run.manifest.data.task} model; generation needs a NextTokenHead.`,
      );
    io.out(displayRunningText(prompt));
    for await (const piece of generate(run.predictor, prompt, options)) io.out(displayRunningText(piece));
    io.out('\n');
  } finally {
    run.model.dispose();
  }
  return 0;
}
