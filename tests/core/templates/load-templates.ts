import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '../../../core/graph/model';
import { parseGraph } from '../../../core/graph/io';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

export const templateFiles = (): string[] =>
  readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

/** Parses one template file; throws with the diagnostics when it does not parse cleanly. */
export function loadTemplate(file: string): Graph {
  const { graph, diagnostics } = parseGraph(JSON.parse(readFileSync(join(TEMPLATE_DIR, file), 'utf8')), {
    fileName: file,
  });
  if (!graph || diagnostics.length > 0) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return graph;
}
