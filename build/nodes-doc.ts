// Rewrites docs/nodes.md from the node registry: npx tsx build/nodes-doc.ts
import { writeFileSync } from 'node:fs';
import { nodesMarkdown } from '../core/docs/nodes-md';

writeFileSync(new URL('../docs/nodes.md', import.meta.url), nodesMarkdown());
console.log('wrote docs/nodes.md');
