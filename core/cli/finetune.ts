import { parseTokenizerSpec } from '../data/tokenizers/index';
import { TokenizerSpecError } from '../data/errors';
import { readRun } from '../host-node/run-dir';
import { loadRun, type LoadedRun } from '../run/load';
import type { WarmStartReport } from '../run/warm-start';
import { UserError } from './errors';
import { compact } from './table';

/** `wordloom train … --from <run-dir|bundle>`: the parent run, on the backend already started for training. */
export async function openParent(path: string, tokenizerFlag: string | undefined): Promise<LoadedRun> {
  const parent = await loadRun(readRun(path), path);
  if (tokenizerFlag !== undefined && !sameSpec(tokenizerFlag, parent.manifest.tokenizer)) {
    parent.model.dispose();
    throw new UserError(
      `--tokenizer ${tokenizerFlag} differs from the tokenizer of ${path} (${parent.manifest.tokenizer}); a run started --from another reuses its tokenizer, so leave --tokenizer out.`,
    );
  }
  return parent;
}

function sameSpec(a: string, b: string): boolean {
  try {
    const x = parseTokenizerSpec(a);
    const y = parseTokenizerSpec(b);
    return x.kind === y.kind && (x.size ?? null) === (y.size ?? null);
  } catch (e) {
    if (e instanceof TokenizerSpecError) throw new UserError(e.message);
    throw e;
  }
}

/** `--freeze a,b` or `--freeze all-but-head` → the list (checked against the graph by the trainer). */
export const freezeList = (value: string | undefined): string[] =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** What loaded from the parent: one row per node with weights, then a line of totals. */
export function warmStartTable(r: WarmStartReport, frozen: readonly string[]): string {
  const header = ['node', 'type', 'params', 'weights', 'why'];
  const rows = r.nodes.map((n) => [
    n.nodeId,
    n.type,
    compact(n.params),
    n.status === 'loaded'
      ? frozen.includes(n.nodeId)
        ? 'loaded, frozen'
        : 'loaded'
      : n.status === 'new'
        ? 'new (random)'
        : 'refused (random)',
    n.reason ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i].length)));
  const line = (c: string[]): string =>
    c
      .map((s, i) => (i === 2 ? s.padStart(widths[i]) : s.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const count = (s: string): number => r.nodes.filter((n) => n.status === s).length;
  const dropped = r.dropped.length ? `; the parent's ${r.dropped.join(', ')} not used` : '';
  return [
    `Starting from "${r.parentName}" (${r.parentId}) at step ${r.parentStep}:`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `${count('loaded')} loaded, ${count('new')} new, ${count('refused')} refused${dropped}.`,
    '',
  ].join('\n');
}
