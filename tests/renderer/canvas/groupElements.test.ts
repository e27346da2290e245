import { describe, expect, it } from 'vitest';
import { createGroup, setGroupCollapsed } from '../../../core/graph/groups';
import type { Graph } from '../../../core/graph/model';
import { groupFlowNodes, hiddenBy, routeEdge } from '../../../renderer/canvas/groupElements';
import { inView } from '../../../renderer/canvas/placement';
import { chain, makeGraph, makeNode } from '../../builders';

const line = (): Graph =>
  makeGraph(
    ['a', 'b', 'c', 'd'].map((id, i) => makeNode('LayerNorm', {}, id, { x: i * 240, y: 0 })),
    chain('a', 'b', 'c', 'd'),
  );

const grouped = (collapsed: boolean): Graph => {
  const r = createGroup(line(), ['b', 'c'], 'Mid');
  if ('error' in r) throw new Error(r.error);
  return setGroupCollapsed(r.graph, r.groupId, collapsed);
};

describe('groups on the canvas', () => {
  it('an open group is a frame around its blocks; edges stay as they are', () => {
    const g = grouped(false);
    const [frame] = groupFlowNodes(
      g,
      (id) => g.nodes.find((n) => n.id === id)?.position,
      () => undefined,
    );
    expect(frame).toMatchObject({ id: 'frame:group_1', position: { x: 240 - 18, y: -44 }, width: 240 + 184 + 36 });
    expect(frame.data.inputs).toEqual(['in:b.in']);
    expect(frame.data.outputs).toEqual(['out:c']);
    expect(g.edges.map((e) => routeEdge(e, hiddenBy(g)).hidden)).toEqual([false, false, false]);
  });

  it('a collapsed group stands in for its blocks: wires across the border end on its ports, inner wires hide', () => {
    const g = grouped(true);
    const routes = g.edges.map((e) => routeEdge(e, hiddenBy(g)));
    expect(routes).toEqual([
      { source: 'a', sourceHandle: 'out', target: 'group_1', targetHandle: 'in:b.in', hidden: false },
      { source: 'group_1', sourceHandle: 'out:b', target: 'group_1', targetHandle: 'in:c.in', hidden: true },
      { source: 'group_1', sourceHandle: 'out:c', target: 'd', targetHandle: 'in', hidden: false },
    ]);
  });
});

describe('a block dropped near an edge', () => {
  const view = { min: { x: 0, y: 0 }, max: { x: 1000, y: 600 } };
  it('is pulled in from the right and bottom so all of it shows', () => {
    expect(inView({ x: 990, y: 590 }, view)).toEqual({ x: 1000 - 184 - 20, y: 600 - 120 - 20 });
  });
  it('stays where it was dropped when it fits', () => {
    expect(inView({ x: 300, y: 200 }, view)).toEqual({ x: 300, y: 200 });
  });
});
