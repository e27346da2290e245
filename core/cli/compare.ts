import { displayText, safeJson } from '../graph/display';
import { readRun } from '../host-node/run-dir';
import { parseRunFiles } from '../run/files';
import { runSummary, type RunSummary } from '../export/summary';
import { parseArgs } from './args';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { formatSeconds } from './progress';
import { columnWidths, compact } from './table';
import { lineageLines } from '../run/lineage';

const USAGE = 'wordloom compare <run-dir> <run-dir>... [--json]';

/** `wordloom compare`: architectures side by side, from the runs' manifests (no model is loaded). */
export const compareCommand: Command = {
  name: 'compare',
  usage: USAGE,
  summary: 'Compare trained runs: architecture, size, speed, cost and validation results.',
  run: runCompare,
};

async function runCompare(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { json: 'boolean' }, 'compare');
  if (args.booleans.has('help')) {
    io.out(`Usage: ${USAGE}\n\nEach run is a run directory or a .wordloom bundle.\n`);
    return 0;
  }
  if (args.positionals.length === 0)
    throw new UserError(`Name the run directories or .wordloom bundles to compare (usage: ${USAGE}).`);
  const manifests = args.positionals.map((path) => ({ path, manifest: parseRunFiles(readRun(path), path).manifest }));
  const rows = manifests.map(({ path, manifest: m }) => ({
    path,
    ...runSummary(m),
    id: m.id,
    ...(m.parent && { parent: m.parent }),
  }));
  const lineage = lineageLines(
    manifests.map(({ path, manifest: m }) => ({ path, id: m.id, name: m.name, parent: m.parent })),
  );
  if (args.booleans.has('json')) io.out(`${safeJson({ runs: rows, lineage })}\n`);
  else
    io.out(
      `${compareTable(rows)}${lineage.length ? `\nLineage:\n${lineage.map((l) => `  ${displayText(l)}\n`).join('')}` : ''}`,
    );
  return 0;
}

const fixed = (x: number | null | undefined, digits: number): string =>
  x === null || x === undefined ? '—' : x.toFixed(digits);

function quality(r: RunSummary): string {
  if (r.valAccuracy !== undefined) return `acc ${(r.valAccuracy * 100).toFixed(1)}%`;
  if (r.perplexity !== undefined) return `ppl ${fixed(r.perplexity, 2)}`;
  return '—';
}

/** An aligned table, one row per run; numbers right-aligned. */
export function compareTable(rows: readonly (RunSummary & { path: string })[]): string {
  const header = [
    'run',
    'architecture',
    'params',
    'FLOPs/token',
    'tokens/s',
    'backend',
    'best val loss',
    'acc / ppl',
    'time',
    'steps',
  ];
  const numeric = new Set([2, 3, 4, 6, 7, 8, 9]);
  const cells = rows.map((r) => [
    displayText(r.name === r.graph ? r.path : `${r.name} (${r.path})`),
    displayText(`${r.graph}: ${r.architecture}`),
    compact(r.params),
    compact(r.flopsPerToken),
    r.tokensPerSec === null ? '—' : compact(Math.round(r.tokensPerSec)),
    displayText(r.backend),
    fixed(r.bestValLoss, 3),
    quality(r),
    formatSeconds(r.seconds),
    String(r.steps),
  ]);
  const widths = columnWidths(header, cells);
  const line = (c: string[]): string =>
    c
      .map((s, i) => (numeric.has(i) ? s.padStart(widths[i]) : s.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}
