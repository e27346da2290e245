import { describe, expect, it } from 'vitest';
import { NODE_DEFS } from '../../../core/nodes/index';
import { parseNumberInput } from '../../../renderer/panels/fields/paramInput';
import { groupedDefs, searchDefs } from '../../../renderer/lib/categories';
import { formatBytes, formatCount } from '../../../renderer/lib/format';
import { trainingMemoryBytes } from '../../../renderer/lib/memory';

describe('number fields store what was typed', () => {
  it.each([
    ['64', 64],
    [' 12.5 ', 12.5],
    ['0', 0],
    ['-3', -3],
    ['1e3', 1000],
  ])('"%s" reads as the number %s (never clamped)', (text, value) => {
    expect(parseNumberInput(text)).toBe(value);
  });

  it.each(['', '12x', 'abc', 'Infinity', 'NaN'])('"%s" is kept as text so inference flags it', (text) => {
    expect(parseNumberInput(text)).toBe(text);
  });
});

describe('palette search and grouping', () => {
  it('groups every node type exactly once, in category order', () => {
    const groups = groupedDefs();
    expect(groups.flatMap((g) => g.defs).map((d) => d.type).sort()).toEqual(NODE_DEFS.map((d) => d.type).sort());
    expect(groups[0].category).toBe('input');
    expect(groups.at(-1)?.category).toBe('heads');
  });

  it('finds a block by part of its label or type, prefix matches first, spaces ignored', () => {
    expect(searchDefs('lst').map((d) => d.type)).toContain('LSTM');
    expect(searchDefs('next tok')[0].type).toBe('NextTokenHead');
    expect(searchDefs('head').every((d) => /head/i.test(d.label + d.type))).toBe(true);
    expect(searchDefs('zzzz')).toEqual([]);
  });
});

describe('totals', () => {
  it('estimates training memory as 4 copies of the weights plus a batch of activations, in float32', () => {
    const totals = { params: 1000, flopsPerToken: 5, activations: 250 };
    expect(trainingMemoryBytes(totals, 8)).toBe(1000 * 4 * 4 + 250 * 8 * 4);
  });

  it('formats counts and bytes for people', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_720_000)).toBe('1.72M');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
