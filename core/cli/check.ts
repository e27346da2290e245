import { parseGraphText } from '../graph/io';
import { inferGraph } from '../shapes/infer';
import { parseArgs } from './args';
import { resolveBinding } from './binding';
import { buildReport } from './check-report';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { readText } from './files';
import { formatTable } from './table';

const USAGE = 'wordloom check <graph.json> [--data D] [--tokenizer K] [--json]';

/** `wordloom check`: every node's output shape, parameter count and errors; exit 1 on any error (DESIGN §5). */
export const checkCommand: Command = {
  name: 'check',
  usage: USAGE,
  summary: "Print every node's output shape, parameter count and errors.",
  run: runCheck,
};

async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { data: 'string', tokenizer: 'string', json: 'boolean' }, 'check');
  if (args.booleans.has('help')) {
    io.out(`Usage: ${USAGE}\n\nWithout --data, V=256 and C=2 are assumed.\n`);
    return 0;
  }
  if (args.positionals.length !== 1) {
    const got = args.positionals.length ? `got ${args.positionals.length}` : 'got none';
    throw new UserError(`wordloom check takes one graph file, ${got} (usage: ${USAGE}).`);
  }
  const file = args.positionals[0];
  const text = await readText(file);
  const { binding, assumed } = await resolveBinding(args.strings.data, args.strings.tokenizer);
  const parsed = parseGraphText(text, file, io.registry);
  const analysis = parsed.graph ? inferGraph(parsed.graph, binding, io.registry) : undefined;
  const report = buildReport(parsed, analysis);
  if (args.booleans.has('json')) {
    io.out(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  }
  const source = assumed ? "assumed; pass --data to use a dataset's" : `from ${args.strings.data}`;
  io.out(`V=${binding.vocabSize}, C=${binding.numClasses} ${source}.\n\n`);
  if (parsed.graph) io.out(formatTable(report));
  for (const w of report.warnings) io.err(`Warning: ${w.message}\n`);
  for (const e of report.errors) io.err(`${e.message}\n`);
  const n = report.errors.length;
  io.out(n === 0 ? 'No errors.\n' : `${n} error${n === 1 ? '' : 's'}.\n`);
  return report.ok ? 0 : 1;
}
