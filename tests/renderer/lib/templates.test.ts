import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costCurve } from '../../../core/shapes/cost-curve';
import { inferGraph } from '../../../core/shapes/infer';
import { COST_SEQ_LENS, costSeries } from '../../../renderer/panels/costSeries';
import { TEMPLATES, findTemplate } from '../../../renderer/lib/templates';

const binding = { vocabSize: 67, numClasses: 2 };

describe('template gallery', () => {
  it('bundles every templates/*.json, each with a name and a description', () => {
    const files = readdirSync(join(process.cwd(), 'templates')).filter((f) => f.endsWith('.json'));
    expect(TEMPLATES.map((t) => `${t.id}.json`).sort()).toEqual(files.sort());
    for (const t of TEMPLATES) {
      expect(t.graph.name.length, t.id).toBeGreaterThan(0);
      expect(t.graph.description?.length ?? 0, t.id).toBeGreaterThan(20);
    }
  });

  it('every template infers with no diagnostics at the editor default binding', () => {
    for (const t of TEMPLATES) expect(inferGraph(t.graph, binding).diagnostics, t.id).toEqual([]);
  });
});

describe('cost view series', () => {
  it('an LSTM costs the same per token at any T, while attention bends upward', () => {
    const lstm = findTemplate('lstm-lm');
    const gpt = findTemplate('mini-gpt');
    if (!lstm || !gpt) throw new Error('lstm-lm and mini-gpt templates are expected');
    const [ts, lstmFlops] = costSeries(costCurve(lstm.graph, binding, COST_SEQ_LENS));
    const [, gptFlops, gptMem] = costSeries(costCurve(gpt.graph, binding, COST_SEQ_LENS));
    expect(ts).toEqual([...COST_SEQ_LENS]);
    expect(new Set(lstmFlops).size).toBe(1);
    expect(lstmFlops[0]).toBeGreaterThan(0);
    const at = (xs: (number | null)[], i: number): number => xs[i] ?? NaN;
    expect(at(gptFlops, ts.length - 1)).toBeGreaterThan(at(gptFlops, 0));
    // Memory per example grows faster than linearly: the 1024 point exceeds 2 × the 512 point.
    const i512 = ts.indexOf(512);
    const i1024 = ts.indexOf(1024);
    expect(at(gptMem, i1024)).toBeGreaterThan(2 * at(gptMem, i512));
  });
});
