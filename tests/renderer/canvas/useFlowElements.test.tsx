import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useFlowElements } from '../../../renderer/canvas/useFlowElements';
import { AppStoreProvider, createAppStore } from '../../../renderer/store';

afterEach(cleanup);

function setup() {
  const store = createAppStore();
  const a = store.getState().addNode('TokenInput', { x: 0, y: 0 });
  const b = store.getState().addNode('Embedding', { x: 240, y: 0 });
  store.getState().connect({ node: a, port: 'out' }, { node: b, port: 'in' });
  store.getState().clearSelection();
  const wrapper = ({ children }: { children: ReactNode }) => <AppStoreProvider store={store}>{children}</AppStoreProvider>;
  const hook = renderHook(() => useFlowElements(), { wrapper });
  return { store, a, b, hook };
}

describe('React Flow elements from the store', () => {
  it('maps graph nodes and edges to flow nodes with typed handles, and data holds only {type, params}', () => {
    const { hook, a, b } = setup();
    const { nodes, edges } = hook.result.current;
    expect(nodes.map((n) => [n.id, n.type, Object.keys(n.data).sort()])).toEqual([
      [a, 'layer', ['params', 'type']],
      [b, 'layer', ['params', 'type']],
    ]);
    expect(edges).toEqual([
      expect.objectContaining({ id: 'e1', source: a, sourceHandle: 'out', target: b, targetHandle: 'in', type: 'shape' }),
    ]);
  });

  it('reuses the flow node of every block an edit did not touch', () => {
    const { hook, store, a, b } = setup();
    const before = hook.result.current.nodes;
    act(() => store.getState().setParam(b, 'dim', 32));
    const after = hook.result.current.nodes;
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    const changed = after[1];
    expect(changed.type === 'layer' && changed.data.params.dim).toBe(32);
    expect(after[0].id).toBe(a);
  });

  it('a drag moves the view only; its end is one undo step', () => {
    const { hook, store, a } = setup();
    const graph = store.getState().graph;
    const past = store.getState().past.length;
    act(() => hook.result.current.onNodesChange([{ type: 'position', id: a, position: { x: 20, y: 20 }, dragging: true }]));
    act(() => hook.result.current.onNodesChange([{ type: 'position', id: a, position: { x: 40, y: 60 }, dragging: true }]));
    expect(store.getState().graph).toBe(graph);
    expect(hook.result.current.nodes[0].position).toEqual({ x: 40, y: 60 });
    act(() => hook.result.current.onNodesChange([{ type: 'position', id: a, position: { x: 40, y: 60 }, dragging: false }]));
    expect(store.getState().graph.nodes[0].position).toEqual({ x: 40, y: 60 });
    expect(store.getState().past).toHaveLength(past + 1);
    act(() => store.getState().undo());
    expect(hook.result.current.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('selection changes from React Flow land in the selection slice, in document order', () => {
    const { hook, store, a, b } = setup();
    act(() =>
      hook.result.current.onNodesChange([
        { type: 'select', id: b, selected: true },
        { type: 'select', id: a, selected: true },
      ]),
    );
    expect(store.getState().selectedNodeIds).toEqual([a, b]);
    expect(hook.result.current.nodes.every((n) => n.selected)).toBe(true);
    act(() => hook.result.current.onEdgesChange([{ type: 'select', id: 'e1', selected: true }]));
    expect(store.getState().selectedEdgeIds).toEqual(['e1']);
    act(() => hook.result.current.onNodesChange([{ type: 'select', id: a, selected: false }]));
    expect(store.getState().selectedNodeIds).toEqual([b]);
  });
});
