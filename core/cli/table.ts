import { displayText } from '../graph/display';
import type { CheckNode, CheckReport } from './check-report';

const count = (n: number): string => n.toLocaleString('en-US');

/** "1.50" → "1.5", "2.00" → "2", "100" stays. */
const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** 1234567 → "1.23M". */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) return `${trimZeros((n / size).toPrecision(3))}${unit}`;
  }
  return String(n);
}

/** Column widths of a table: a loop, since spreading 10⁵ rows into Math.max overflows the stack. */
export function columnWidths(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = header.map((h) => h.length);
  for (const row of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row[i].length);
  return widths;
}

function status(n: CheckNode): string {
  if (n.error) return 'error';
  return n.shape ? 'ok' : 'skipped';
}

/** The readable form of a check: an aligned table of nodes, then totals (errors go to stderr). */
export function formatTable(report: CheckReport): string {
  const header = ['node', 'type', 'output', 'params', 'status'];
  const rows = report.nodes.map((n) => [
    displayText(n.id),
    displayText(n.type),
    n.shape ? `${n.kind ?? ''} [${n.shape.join(', ')}]`.trim() : '—',
    n.params === null ? '—' : count(n.params),
    status(n),
  ]);
  const widths = columnWidths(header, rows);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (report.totals) {
    const t = report.totals;
    out.push(
      '',
      `Total: ${count(t.params)} params, ${compact(t.flopsPerToken)} FLOPs per token, ${compact(t.activations)} activations per example.`,
    );
  }
  return `${out.join('\n')}\n`;
}
