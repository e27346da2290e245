import { parseGraph } from '../../core/graph/io';
import type { Graph } from '../../core/graph/model';

export interface Template {
  /** File name without `.json`, e.g. "mini-gpt". */
  id: string;
  graph: Graph;
}

// Bundled at build time; templates are ordinary graph files (docs/graph-format.md), read through the same parser as user files.
const files = import.meta.glob<unknown>('../../templates/*.json', { eager: true, import: 'default' });

/** Preferred gallery order: the classics people start from first; others follow by name. */
const ORDER = [
  'mini-gpt',
  'mini-llama',
  'lstm-lm',
  'gru-lm',
  'char-rnn',
  'bow-classifier',
  'embedding-bag-classifier',
  'bilstm-attention-classifier',
  'lstm-tagger',
];

function load(): Template[] {
  const out: Template[] = [];
  for (const [path, data] of Object.entries(files)) {
    const id = path.replace(/^.*\//, '').replace(/\.json$/, '');
    const { graph, diagnostics } = parseGraph(data, { fileName: `${id}.json` });
    // A broken bundled template is our bug: fail loudly rather than hide it from the gallery.
    if (!graph) throw new Error(`templates/${id}.json does not parse: ${diagnostics[0]?.message ?? 'unknown error'}`);
    out.push({ id, graph });
  }
  const rank = (t: Template): number => (ORDER.includes(t.id) ? ORDER.indexOf(t.id) : ORDER.length);
  return out.sort((a, b) => rank(a) - rank(b) || a.graph.name.localeCompare(b.graph.name));
}

export const TEMPLATES: readonly Template[] = load();

export const findTemplate = (id: string): Template | undefined => TEMPLATES.find((t) => t.id === id);
