/**
 * docs/nodes.md's catalog, written from the registry so the document cannot drift from the code:
 * `npx tsx build/nodes-doc.ts` rewrites it, and a test fails when the committed file is stale.
 */
import { CATEGORIES } from '../nodes/define';
import { NODE_DEFS } from '../nodes/index';
import type { ParamSpec } from '../params/spec';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function paramText(name: string, spec: ParamSpec): string {
  const range =
    spec.kind === 'int' || spec.kind === 'float'
      ? ` ${spec.min}–${spec.max}`
      : spec.kind === 'select'
        ? ` ${spec.options.join(' \\| ')}`
        : '';
  return `\`${name}\` (${String(spec.default)};${range || ` ${spec.kind}`}): ${cell(spec.doc)}`;
}

export function nodesMarkdown(): string {
  const out: string[] = [
    '# Node catalog',
    '',
    '<!-- Generated from core/nodes by `npx tsx build/nodes-doc.ts`; do not edit by hand. -->',
    '',
    'Every node type is one file in `core/nodes/` plus one line in `core/nodes/index.ts` (see',
    '[architecture.md](architecture.md#adding-a-node-type)). Shapes exclude the batch axis: `tokens [T]`,',
    '`sequence [T, D]`, `vector [D]`, `logits [T, V]` or `[C]`. `V` and `C` come from the dataset and tokenizer',
    'when the graph is compiled; the user never types them. The head fixes the task.',
    '',
    '| type | category | inputs | params (default; range): meaning | capabilities |',
    '|---|---|---|---|---|',
  ];
  for (const d of NODE_DEFS) {
    const inputs = Object.entries(d.inputs)
      .map(([port, types]) => `${port}: ${types.join(' \\| ')}`)
      .join('; ');
    const params = Object.entries<ParamSpec>(d.params).map(([k, s]) => paramText(k, s));
    const caps = [
      d.head ? `head (${d.head})` : '',
      d.capabilities.attentionMaps ? 'attention maps' : '',
      d.capabilities.masksPadding ? 'masks padding' : '',
      d.layers.length ? `layers: ${d.layers.map((l) => l.className).join(', ')}` : '',
    ].filter(Boolean);
    out.push(
      `| \`${d.type}\` (v${d.version}) | ${d.category} | ${inputs || '—'} | ${params.join('<br>') || '—'} | ${caps.join('; ') || '—'} |`,
    );
  }
  out.push('', '## What each block does', '');
  for (const c of CATEGORIES) {
    for (const d of NODE_DEFS.filter((n) => n.category === c))
      out.push(`### ${d.label} (\`${d.type}\`)`, '', d.doc, '');
  }
  return out.join('\n');
}
