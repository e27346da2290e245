import { describe, expect, it } from 'vitest';
import { createAppStore, type AppStoreApi } from '../../../renderer/store';
import { HISTORY_LIMIT } from '../../../renderer/store/graphSlice';

/** TokenInput → Embedding → NextTokenHead, built through the store's own actions. */
function tinyLm(store: AppStoreApi): { input: string; emb: string; head: string } {
  const s = store.getState();
  const input = s.addNode('TokenInput', { x: 0, y: 0 });
  const emb = s.addNode('Embedding', { x: 200, y: 0 });
  const head = s.addNode('NextTokenHead', { x: 400, y: 0 });
  expect(s.connect({ node: input, port: 'out' }, { node: emb, port: 'in' })).toBeNull();
  expect(s.connect({ node: emb, port: 'out' }, { node: head, port: 'in' })).toBeNull();
  return { input, emb, head };
}

describe('graph editing in the store', () => {
  it('adds and connects nodes, and shape inference follows every edit', () => {
    const store = createAppStore();
    const { emb, head } = tinyLm(store);
    const s = store.getState();
    expect(s.graph.nodes.map((n) => n.type)).toEqual(['TokenInput', 'Embedding', 'NextTokenHead']);
    expect(s.graph.edges).toHaveLength(2);
    expect(s.analysis.nodes[emb].out?.shape).toEqual([64, 64]);
    expect(s.analysis.nodes[head].out?.shape).toEqual([64, 67]);
    expect(s.analysis.diagnostics).toEqual([]);
    expect(s.analysis.totals.params).toBeGreaterThan(0);
  });

  it('undo and redo restore the exact earlier graphs, one step per edit', () => {
    const store = createAppStore();
    const states = [store.getState().graph];
    const s = store.getState();
    const a = s.addNode('TokenInput', { x: 0, y: 0 });
    states.push(store.getState().graph);
    const b = s.addNode('Embedding', { x: 200, y: 0 });
    states.push(store.getState().graph);
    s.connect({ node: a, port: 'out' }, { node: b, port: 'in' });
    states.push(store.getState().graph);
    s.moveNodes({ [b]: { x: 300, y: 40 } });
    states.push(store.getState().graph);
    s.setParam(b, 'dim', 32);
    states.push(store.getState().graph);
    s.removeElements([a], []);
    states.push(store.getState().graph);

    for (let i = states.length - 2; i >= 0; i--) {
      store.getState().undo();
      expect(store.getState().graph).toBe(states[i]);
    }
    store.getState().undo(); // nothing left: a no-op
    expect(store.getState().graph).toBe(states[0]);
    for (let i = 1; i < states.length; i++) {
      store.getState().redo();
      expect(store.getState().graph).toBe(states[i]);
    }
    expect(store.getState().analysis.nodes[a]).toBeUndefined();
    store.getState().undo();
    expect(store.getState().analysis.nodes[b].out?.shape).toEqual([64, 32]);
  });

  it('a new edit after undo drops the redo branch', () => {
    const store = createAppStore();
    store.getState().addNode('TokenInput', { x: 0, y: 0 });
    store.getState().addNode('Embedding', { x: 0, y: 0 });
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().addNode('Dense', { x: 0, y: 0 });
    expect(store.getState().future).toHaveLength(0);
    expect(store.getState().graph.nodes.map((n) => n.type)).toEqual(['TokenInput', 'Dense']);
  });

  it('keeps at least 100 undo steps, and caps the history', () => {
    const store = createAppStore();
    const id = store.getState().addNode('TokenInput', { x: 0, y: 0 });
    const start = store.getState().graph;
    for (let i = 1; i <= 120; i++) store.getState().moveNodes({ [id]: { x: i * 20, y: 0 } });
    for (let i = 0; i < 120; i++) store.getState().undo();
    expect(store.getState().graph).toBe(start);

    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) store.getState().moveNodes({ [id]: { x: i, y: 1 } });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('typing into one param field is one undo step; another field starts a new one', () => {
    const store = createAppStore();
    const emb = store.getState().addNode('Embedding', { x: 0, y: 0 });
    const before = store.getState().graph;
    for (const v of [1, 12, 128]) store.getState().setParam(emb, 'dim', v);
    expect(store.getState().graph.nodes[0].params.dim).toBe(128);
    store.getState().undo();
    expect(store.getState().graph).toBe(before);
  });

  it('refuses an incompatible connection with a sentence and leaves the graph and history alone', () => {
    const store = createAppStore();
    const input = store.getState().addNode('TokenInput', { x: 0, y: 0 });
    const head = store.getState().addNode('NextTokenHead', { x: 200, y: 0 });
    const before = store.getState().graph;
    const pastLength = store.getState().past.length;
    const why = store.getState().connect({ node: input, port: 'out' }, { node: head, port: 'in' });
    expect(why).toMatch(/NextTokenHead "next_token_head_1"\.in takes a sequence, but "token_input_1" gives tokens/);
    expect(store.getState().graph).toBe(before);
    expect(store.getState().past).toHaveLength(pastLength);
  });

  it('stores an out-of-range or non-numeric param as typed and flags it, never clamps', () => {
    const store = createAppStore();
    const { emb } = tinyLm(store);
    store.getState().setParam(emb, 'dim', 0);
    expect(store.getState().graph.nodes.find((n) => n.id === emb)?.params.dim).toBe(0);
    const flagged = store.getState().analysis.nodes[emb].diagnostics.find((d) => d.param === 'dim');
    expect(flagged?.message).toMatch(/dim must be between 1 and 4096, got 0/);
    store.getState().setParam(emb, 'dim', '12x');
    expect(store.getState().graph.nodes.find((n) => n.id === emb)?.params.dim).toBe('12x');
    expect(store.getState().analysis.nodes[emb].diagnostics[0]?.message).toMatch(/whole number, got "12x"/);
  });

  it('deletes the selection with its edges in one step', () => {
    const store = createAppStore();
    const { emb } = tinyLm(store);
    store.getState().setSelection([emb], []);
    store.getState().deleteSelection();
    expect(store.getState().graph.nodes.map((n) => n.id)).not.toContain(emb);
    expect(store.getState().graph.edges).toEqual([]);
    expect(store.getState().selectedNodeIds).toEqual([]);
    store.getState().undo();
    expect(store.getState().graph.edges).toHaveLength(2);
  });
});

describe('copy and paste', () => {
  it('pastes copies with fresh ids, remapped internal edges, offset positions, and selects them', () => {
    const store = createAppStore();
    const { input, emb } = tinyLm(store);
    store.getState().setSelection([input, emb], []);
    store.getState().copySelection();
    store.getState().pasteClipboard();
    const s = store.getState();
    expect(s.graph.nodes).toHaveLength(5);
    const pasted = s.graph.nodes.slice(3);
    expect(pasted.map((n) => n.type)).toEqual(['TokenInput', 'Embedding']);
    expect(pasted.map((n) => n.id)).toEqual(['token_input_2', 'embedding_2']);
    expect(pasted[0].position).toEqual({ x: 40, y: 40 });
    const newEdges = s.graph.edges.slice(2);
    expect(newEdges).toHaveLength(1);
    expect(newEdges[0].from).toEqual({ node: 'token_input_2', port: 'out' });
    expect(newEdges[0].to).toEqual({ node: 'embedding_2', port: 'in' });
    expect(new Set(s.graph.edges.map((e) => e.id)).size).toBe(3);
    expect(s.selectedNodeIds).toEqual(['token_input_2', 'embedding_2']);

    store.getState().pasteClipboard();
    expect(store.getState().graph.nodes[5].position).toEqual({ x: 80, y: 80 });
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().graph.nodes).toHaveLength(3);
  });
});

describe('binding and documents', () => {
  it('re-infers when the binding changes', () => {
    const store = createAppStore();
    const { head } = tinyLm(store);
    store.getState().setBinding({ vocabSize: 100, numClasses: 2 });
    expect(store.getState().analysis.nodes[head].out?.shape).toEqual([64, 100]);
  });

  it('opening a graph clears history and selection', () => {
    const store = createAppStore();
    const { emb } = tinyLm(store);
    store.getState().selectNode(emb);
    const g = store.getState().graph;
    store.getState().newGraph();
    expect(store.getState().graph.nodes).toEqual([]);
    store.getState().openGraph(g);
    expect(store.getState().past).toEqual([]);
    expect(store.getState().selectedNodeIds).toEqual([]);
    expect(store.getState().screen).toBe('editor');
    expect(store.getState().isDirty).toBe(false);
  });
});
