import { CATEGORIES, type Category } from '../../core/nodes/define';
import { NODE_DEFS } from '../../core/nodes/index';
import type { AnyNodeDef } from '../../core/nodes/define';

/** Palette headings, in palette order. */
export const CATEGORY_LABELS: Record<Category, string> = {
  input: 'Input',
  embedding: 'Embedding',
  'bag-of-words': 'Bag-of-words',
  recurrent: 'Recurrent',
  attention: 'Attention',
  transformer: 'Transformer',
  layers: 'Layers',
  heads: 'Heads',
};

/** The CSS variable holding a category's colour (styles/theme.css). */
export const categoryColor = (category: Category): string => `var(--cat-${category})`;

/** NODE_DEFS grouped by category, in palette order; empty groups are left out. */
export function groupedDefs(defs: readonly AnyNodeDef[] = NODE_DEFS): { category: Category; defs: AnyNodeDef[] }[] {
  return CATEGORIES.map((category) => ({ category, defs: defs.filter((d) => d.category === category) })).filter(
    (g) => g.defs.length > 0,
  );
}

/** Node defs whose label or type contains `query` (case-insensitive); prefix matches first. */
export function searchDefs(query: string, defs: readonly AnyNodeDef[] = NODE_DEFS): AnyNodeDef[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return [...defs];
  const key = (d: AnyNodeDef): string[] => [d.label.toLowerCase().replace(/\s+/g, ''), d.type.toLowerCase()];
  const rank = (d: AnyNodeDef): number => {
    const k = key(d);
    if (k.some((s) => s.startsWith(q))) return 0;
    if (k.some((s) => s.includes(q))) return 1;
    return 2;
  };
  return defs.filter((d) => rank(d) < 2).sort((a, b) => rank(a) - rank(b));
}

/** The MIME type a palette item carries while dragged onto the canvas. */
export const NODE_DRAG_MIME = 'application/wordloom-node';
