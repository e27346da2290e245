import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodesMarkdown } from '../../../core/docs/nodes-md';
import { NODE_DEFS } from '../../../core/nodes/index';
import { ROOT } from '../export/pytorch/helpers';

const DOCS = ['architecture.md', 'cli.md', 'data-formats.md', 'graph-format.md', 'nodes.md'];

describe('docs/', () => {
  it('nodes.md is what the registry writes now (run `npx tsx build/nodes-doc.ts` after changing a node)', () => {
    expect(readFileSync(join(ROOT, 'docs/nodes.md'), 'utf8')).toBe(nodesMarkdown());
    for (const d of NODE_DEFS) expect(nodesMarkdown()).toContain(`\`${d.type}\` (v${d.version})`);
  });

  it('has the five contracts, and every relative link in them points at a file that exists', () => {
    const files = readdirSync(join(ROOT, 'docs'));
    for (const f of DOCS) expect(files).toContain(f);
    for (const f of DOCS) {
      for (const [, target] of readFileSync(join(ROOT, 'docs', f), 'utf8').matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)) {
        expect(() => readFileSync(join(ROOT, 'docs', target ?? ''))).not.toThrow();
      }
    }
  });

  it('code comments cite docs/, not the out-of-repo DESIGN/STYLE sections', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (/\.(ts|tsx|js|mjs)$/.test(e.name) && !e.name.includes('.generated.')) {
          if (/(DESIGN|STYLE) §/.test(readFileSync(join(ROOT, rel), 'utf8'))) hits.push(rel);
        }
      }
    };
    for (const d of ['core', 'renderer', 'electron', 'bin', 'build', 'tests', 'bench']) walk(d);
    expect(hits).toEqual([]);
  });
});
