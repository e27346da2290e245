import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../../core/graph/io';
import { createAppStore } from '../../../renderer/store';
import miniGptFile from '../../../templates/mini-gpt.json';

const miniGpt = () => {
  const { graph } = parseGraph(miniGptFile);
  if (!graph) throw new Error('templates/mini-gpt.json did not parse');
  const store = createAppStore();
  store.getState().openGraph(graph);
  return store;
};

describe('Expand into blocks and Group, in the store', () => {
  it('expands a TransformerBlock as one undo step, selecting its primitives, with the same parameter total', () => {
    const store = miniGpt();
    const before = store.getState().graph;
    const total = store.getState().analysis.totals.params;
    expect(store.getState().expandBlock('block2')).toBeNull();
    const s = store.getState();
    expect(s.selectedNodeIds).toEqual([
      'block2_ln1',
      'block2_attn',
      'block2_add1',
      'block2_ln2',
      'block2_ff',
      'block2_add2',
    ]);
    expect(s.analysis.totals.params).toBe(total);
    expect(s.analysis.diagnostics).toEqual([]);
    s.undo();
    expect(store.getState().graph).toBe(before);
    expect(store.getState().selectedNodeIds).toEqual([]);
  });

  it('says why a plain block cannot be expanded, and changes nothing', () => {
    const store = miniGpt();
    const before = store.getState().graph;
    expect(store.getState().expandBlock('ln')).toMatch(/"ln" is a single block/);
    expect(store.getState().graph).toBe(before);
    expect(store.getState().past).toHaveLength(0);
  });

  it('groups the selection, collapses it, and undo walks back each step', () => {
    const store = miniGpt();
    const s = store.getState();
    const original = s.graph;
    s.setSelection(['block1', 'block2', 'block3'], []);
    expect(s.groupSelection('Middle layers')).toBeNull();
    const group = store.getState().graph.groups?.[0];
    expect(group).toMatchObject({ name: 'Middle layers', nodes: ['block1', 'block2', 'block3'], collapsed: false });
    store.getState().setGroupCollapsed(group!.id, true);
    expect(store.getState().graph.groups?.[0].collapsed).toBe(true);
    // Saved and opened again, the group is there, folded.
    const reopened = parseGraph(JSON.parse(JSON.stringify(store.getState().graph)));
    expect(reopened.graph?.groups).toEqual(store.getState().graph.groups);
    store.getState().undo();
    expect(store.getState().graph.groups?.[0].collapsed).toBe(false);
    store.getState().undo();
    expect(store.getState().graph).toBe(original);
  });

  it('refuses to group one block, in a sentence', () => {
    const store = miniGpt();
    store.getState().setSelection(['block1'], []);
    expect(store.getState().groupSelection('x')).toBe('Select at least two blocks to group them.');
  });
});
