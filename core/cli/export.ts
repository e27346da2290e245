import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8 } from 'fflate';
import { exportBundle } from '../export/bundle';
import { graphSvg } from '../export/graph-svg';
import { metricsCsv } from '../export/metrics-csv';
import { exportTfjs } from '../export/tfjs/index';
import { startNodeBackend } from '../host-node/backend';
import { readRun } from '../host-node/run-dir';
import { parseRunFiles, type RunFiles } from '../run/files';
import { loadRun, type LoadedRun } from '../run/load';
import { inferGraph } from '../shapes/infer';
import { parseArgs } from './args';
import type { CliIO, Command } from './command';
import { UserError } from './errors';
import { checkPathKind } from './files';
import { displayText, safeJson } from '../graph/display';

const USAGE = 'wordloom export <run-dir|bundle> --format tfjs|pytorch|bundle --out DIR [--force] [--json]';
const FORMATS = ['tfjs', 'pytorch', 'bundle'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (s: string): s is Format => FORMATS.some((f) => f === s);

/** `wordloom export`: a run as a tf.js folder, a PyTorch folder or one .wordloom bundle (docs/cli.md). */
export const exportCommand: Command = {
  name: 'export',
  usage: USAGE,
  summary: 'Export a trained run for tf.js, PyTorch, or as one .wordloom bundle file.',
  run: runExport,
};

async function runExport(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { format: 'string', out: 'string', force: 'boolean', json: 'boolean' }, 'export');
  if (args.booleans.has('help')) {
    io.out(
      `Usage: ${USAGE}\n\ntfjs and pytorch folders also get graph.svg (the graph) and metrics.csv (the training curve).\nExisting files are kept unless --force is given.\n`,
    );
    return 0;
  }
  const [path, ...extra] = args.positionals;
  if (path === undefined) throw new UserError(`Name a run directory or .wordloom bundle (usage: ${USAGE}).`);
  if (extra.length > 0) throw new UserError(`wordloom export takes one run, got ${args.positionals.length}.`);
  const format = args.strings.format;
  if (format === undefined || !isFormat(format))
    throw new UserError(`wordloom export needs --format tfjs, pytorch or bundle${format ? `, got "${format}"` : ''}.`);
  const out = args.strings.out;
  if (out === undefined) throw new UserError(`wordloom export needs --out DIR, the folder to write into.`);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UserError(`--out ${out} is a file, not a folder.`);

  checkPathKind(path, 'run directory or .wordloom bundle', true);
  const where = displayText(path);
  const runFiles = readRun(path);
  const { manifest } = parseRunFiles(runFiles, where); // a clear sentence for a folder that is not a run
  const files = format === 'bundle' ? await exportCheckedBundle(where, runFiles) : await exportModel(format, where, runFiles);
  const written = writeFiles(out, files, args.booleans.has('force'));
  if (args.booleans.has('json')) {
    io.out(`${safeJson({ format, out, files: written })}\n`);
    return 0;
  }
  io.out(`Exported "${displayText(manifest.name)}" as ${format} to ${displayText(out)}:\n`);
  for (const name of written) io.out(`  ${displayText(name)} (${size(files[name].length)})\n`);
  if (format !== 'bundle') io.out('The graph is written as SVG only; the app saves it as PNG too.\n');
  return 0;
}

/** A bundle of the run's own files, after the same cross-checks a load does (a damaged run is not repacked). */
async function exportCheckedBundle(where: string, runFiles: RunFiles): Promise<RunFiles> {
  await startNodeBackend('cpu');
  (await loadRun(runFiles, where)).model.dispose();
  return exportBundle(runFiles);
}

/** tfjs or pytorch files, plus graph.svg and metrics.csv. */
async function exportModel(format: 'tfjs' | 'pytorch', path: string, runFiles: RunFiles): Promise<RunFiles> {
  const exporter = format === 'tfjs' ? exportTfjs : await loadPytorchExporter();
  await startNodeBackend('cpu');
  const run = await loadRun(runFiles, path);
  try {
    const m = run.manifest;
    return {
      ...(await exporter(run)),
      'graph.svg': strToU8(graphSvg(m.graph, inferGraph(m.graph, m.binding))),
      'metrics.csv': strToU8(metricsCsv(m)),
    };
  } finally {
    run.model.dispose();
  }
}

type Exporter = (run: LoadedRun) => Promise<RunFiles>;

/** core/export/pytorch's exporter, loaded on first use (it is large and only this format needs it). */
async function loadPytorchExporter(): Promise<Exporter> {
  try {
    return (await import('../export/pytorch/index')).exportPytorch;
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code === 'ERR_MODULE_NOT_FOUND')
      throw new UserError('PyTorch export is not in this build of Wordloom; use --format tfjs or bundle.');
    throw err;
  }
}

/** Writes every file, or none: an existing file is an error unless `force`. Returns the names written. */
function writeFiles(dir: string, files: RunFiles, force: boolean): string[] {
  const names = Object.keys(files).sort();
  if (!force) {
    const clash = names.find((n) => existsSync(join(dir, n)));
    if (clash)
      throw new UserError(`${join(dir, clash)} already exists; pass --force to overwrite it, or pick another --out.`);
  }
  mkdirSync(dir, { recursive: true });
  // Each file is written beside its place and renamed over it, so an export killed half-way never
  // leaves a half-written file under a real name.
  for (const name of names) {
    const tmp = join(dir, `.${name}.tmp-${process.pid}`);
    try {
      writeFileSync(tmp, files[name]);
      renameSync(tmp, join(dir, name));
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return names;
}

const size = (n: number): string =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} kB` : `${n} B`;
