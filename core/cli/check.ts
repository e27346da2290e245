import { displayText, safeJson } from '../graph/display';
import { parseGraphText } from '../graph/io';
import { nodeLabel } from '../graph/params';
import { headLabelFor } from '../nodes/index';
import type { GraphAnalysis } from '../shapes/analysis';
import { inferGraph } from '../shapes/infer';
import { DEFAULT_TRAIN_CONFIG } from '../train/protocol';
import { parseArgs } from './args';
import { resolveBinding, type ResolvedData } from './binding';
import { buildReport } from './check-report';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { readText } from './files';
import { memoryBudget, memoryLine, preflight } from './preflight';
import { estimateTrainingMemory } from '../train/memory';
import { printProblems } from './problems';
import { formatTable } from './table';
import { numberFlag } from './numbers';

const USAGE = 'wordloom check <graph.json> [--data D] [--tokenizer K] [--batch B] [--memory SIZE] [--json]';

/** `wordloom check`: every node's output shape, parameter count and errors; exit 1 on any error (docs/cli.md). */
export const checkCommand: Command = {
  name: 'check',
  usage: USAGE,
  summary: "Print every node's output shape, parameter count and errors.",
  run: runCheck,
};

async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const flags = { data: 'string', tokenizer: 'string', batch: 'string', memory: 'string', json: 'boolean' } as const;
  const args = parseArgs(argv, flags, 'check');
  if (args.booleans.has('help')) {
    io.out(
      `Usage: ${USAGE}\n\nWithout --data, V=67 and C=2 (the bundled Shakespeare characters) are assumed. The memory a run needs (at --batch, default ${DEFAULT_TRAIN_CONFIG.batchSize}) is checked against this machine's, or --memory (e.g. 16G).\n`,
    );
    return 0;
  }
  if (args.positionals.length !== 1) {
    const got = args.positionals.length ? `got ${args.positionals.length}` : 'got none';
    throw new UserError(`wordloom check takes one graph file, ${got} (usage: ${USAGE}).`);
  }
  const file = args.positionals[0];
  const batch = numberFlag(args.strings.batch, 'batch', {
    int: true,
    min: 1,
    max: 4096,
    fallback: DEFAULT_TRAIN_CONFIG.batchSize,
  });
  const budget = memoryBudget(args.strings.memory);
  const text = readText(file);
  const { binding, assumed, data } = await resolveBinding(args.strings.data, args.strings.tokenizer);
  const parsed = parseGraphText(text, file, io.registry);
  const analysis = parsed.graph ? inferGraph(parsed.graph, binding, io.registry) : undefined;
  const report = buildReport(parsed, analysis);
  if (parsed.graph && analysis) {
    const headType = parsed.graph.nodes.find((n) => n.id === analysis.headId)?.type;
    const wrongTask = taskProblem(analysis, headType, data);
    if (wrongTask) report.errors.push({ node: analysis.headId, message: wrongTask });
    const tooBig = preflight(parsed.graph.name, analysis.totals, batch, data?.fileBytes ?? 0, budget);
    if (tooBig) report.errors.push({ message: tooBig });
    report.ok = report.errors.length === 0;
    const need = estimateTrainingMemory(analysis.totals, batch, data?.fileBytes ?? 0);
    report.memory = { batchSize: batch, estimate: need.total, data: need.data, budget: budget.bytes };
  }
  if (args.booleans.has('json')) {
    io.out(`${safeJson(report)}\n`);
    return report.ok ? 0 : 1;
  }
  const source = assumed ? "assumed; pass --data to use a dataset's" : `from ${displayText(args.strings.data ?? '')}`;
  io.out(`V=${binding.vocabSize}, C=${binding.numClasses} ${source}.\n\n`);
  if (parsed.graph) io.out(formatTable(report));
  if (analysis) io.out(`${memoryLine(analysis.totals, batch, data?.fileBytes ?? 0, budget)}\n`);
  printProblems(
    io,
    report.warnings.map((w) => w.message),
    'Warning: ',
  );
  printProblems(
    io,
    report.errors.map((e) => e.message),
  );
  const n = report.errors.length;
  io.out(n === 0 ? 'No errors.\n' : `${n} error${n === 1 ? '' : 's'}.\n`);
  return report.ok ? 0 : 1;
}

/** `check --data`: the head must do the data's task, as `train` requires. */
function taskProblem(
  analysis: GraphAnalysis,
  headType: string | undefined,
  data: ResolvedData | undefined,
): string | undefined {
  if (!data?.task || !analysis.task || !analysis.headId || analysis.task === data.task) return undefined;
  const head = nodeLabel(headType ?? 'Head', analysis.headId);
  return `${head} does ${analysis.task}, but ${displayText(data.name ?? 'the data')} is ${data.task} data; use a ${headLabelFor(data.task)}.`;
}
