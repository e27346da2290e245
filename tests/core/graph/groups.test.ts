import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../core/compile/compile';
import {
  createGroup,
  groupBorder,
  groupOfNode,
  renameGroup,
  setGroupCollapsed,
  ungroup,
} from '../../../core/graph/groups';
import { parseGraph, serializeGraph } from '../../../core/graph/io';
import type { Graph } from '../../../core/graph/model';
import { removeNodes } from '../../../core/graph/ops';
import { parseProject, serializeProject, newProject } from '../../../core/project/project';
import { loadTemplate } from '../templates/load-templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const grouped = (g: Graph, ids: string[], name = 'Middle'): { graph: Graph; groupId: string } => {
  const r = createGroup(g, ids, name);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('groups', () => {
  it('groups blocks under a name; its inputs and outputs are the wires crossing its border', () => {
    const g = loadTemplate('mini-gpt.json');
    const { graph, groupId } = grouped(g, ['block1', 'block2', 'block3']);
    expect(graph.groups).toEqual([
      { id: groupId, name: 'Middle', nodes: ['block1', 'block2', 'block3'], collapsed: false },
    ]);
    const border = groupBorder(graph, graph.groups![0]);
    expect(border.inputs.map((e) => `${e.from.node}→${e.to.node}`)).toEqual(['pos→block1']);
    expect(border.outputs.map((e) => `${e.from.node}→${e.to.node}`)).toEqual(['block3→block4']);
    expect(graph.nodes).toBe(g.nodes); // a view: nodes and edges untouched
    expect(graph.edges).toBe(g.edges);
  });

  it('refuses fewer than two blocks or an empty name, and moves a node out of its old group', () => {
    const g = loadTemplate('mini-gpt.json');
    expect(createGroup(g, ['block1'], 'x')).toEqual({ error: 'Select at least two blocks to group them.' });
    expect(createGroup(g, ['block1', 'block2'], '  ')).toEqual({ error: 'A group needs a name.' });
    const a = grouped(g, ['block1', 'block2'], 'A');
    const b = grouped(a.graph, ['block2', 'block3'], 'B');
    expect(b.graph.groups?.map((x) => [x.name, x.nodes])).toEqual([
      ['A', ['block1']],
      ['B', ['block2', 'block3']],
    ]);
    expect(groupOfNode(b.graph, 'block2')?.name).toBe('B');
  });

  it('collapse, rename and ungroup are edits that return new graphs', () => {
    const { graph, groupId } = grouped(loadTemplate('mini-gpt.json'), ['block1', 'block2']);
    const folded = setGroupCollapsed(graph, groupId, true);
    expect(folded.groups?.[0].collapsed).toBe(true);
    expect(graph.groups?.[0].collapsed).toBe(false);
    expect(setGroupCollapsed(folded, groupId, true)).toBe(folded);
    expect(renameGroup(folded, groupId, ' Encoder ').groups?.[0].name).toBe('Encoder');
    expect('groups' in ungroup(folded, groupId)).toBe(false);
  });

  it('deleting nodes takes them out of their group, and an emptied group goes', () => {
    const { graph } = grouped(loadTemplate('mini-gpt.json'), ['block1', 'block2']);
    expect(removeNodes(graph, ['block1']).groups?.[0].nodes).toEqual(['block2']);
    expect(removeNodes(graph, ['block1', 'block2']).groups).toBeUndefined();
  });

  it('is saved in the graph file and read back the same; a project round-trips it too', () => {
    const { graph, groupId } = grouped(loadTemplate('mini-gpt.json'), ['block1', 'block2', 'block3'], 'Core');
    const folded = setGroupCollapsed(graph, groupId, true);
    const text = serializeGraph(folded);
    expect(JSON.parse(text)).toMatchObject({ version: 2, groups: [{ id: groupId, name: 'Core', collapsed: true }] });
    const back = parseGraph(JSON.parse(text));
    expect(back.diagnostics).toEqual([]);
    expect(back.graph).toEqual(folded);
    expect(serializeGraph(back.graph!)).toBe(text);
    const project = parseProject(JSON.parse(serializeProject(newProject(folded))));
    expect(project.project?.graph.groups).toEqual(folded.groups);
  });

  it('reading a file: a member that does not exist or is already grouped is dropped with a warning, nothing else lost', () => {
    const g = JSON.parse(serializeGraph(loadTemplate('mini-gpt.json'))) as Record<string, unknown>;
    const r = parseGraph({
      ...g,
      groups: [
        { id: 'g1', name: 'One', nodes: ['block1', 'ghost'], collapsed: false },
        { id: 'g2', name: 'Two', nodes: ['block1', 'block2'] },
        { id: 'g3', name: 'Gone', nodes: ['nobody'] },
      ],
    });
    expect(r.graph?.nodes.length).toBe(9);
    expect(r.graph?.groups).toEqual([
      { id: 'g1', name: 'One', nodes: ['block1'], collapsed: false },
      { id: 'g2', name: 'Two', nodes: ['block2'], collapsed: false },
    ]);
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      [
        'warning',
        'The graph file: group "g1" names node "ghost", which the graph does not have; it was dropped from the group.',
      ],
      ['warning', 'The graph file: group "g2": node "block1" is already in group "g1"; it stays there.'],
      [
        'warning',
        'The graph file: group "g3" names node "nobody", which the graph does not have; it was dropped from the group.',
      ],
    ]);
    expect(parseGraph({ ...g, groups: [{ id: 'g', name: 'x', nodes: 'block1' }] }).graph).toBeUndefined();
  });

  it('the compiler treats a group as its contents: same layers, same parameter count', () => {
    const g = loadTemplate('mini-gpt.json');
    const { graph } = grouped(g, ['block1', 'block2', 'block3']);
    const binding = { vocabSize: 65, numClasses: 2 };
    const a = compileGraph(g, binding);
    const b = compileGraph(setGroupCollapsed(graph, graph.groups![0].id, true), binding);
    if (!a.ok || !b.ok) throw new Error('compile failed');
    expect(b.model.layers.map((l) => l.name)).toEqual(a.model.layers.map((l) => l.name));
    expect(b.model.countParams()).toBe(a.model.countParams());
    a.model.dispose();
    b.model.dispose();
  });
});
