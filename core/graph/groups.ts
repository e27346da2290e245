import type { Edge, Graph, Group } from './model';

/**
 * Groups (docs/graph-format.md, "Groups"): a named, collapsible set of nodes. Pure edits returning a new Graph, like ops.ts, so
 * undo keeps old graphs as they were. A group is a view: nothing here changes nodes or edges.
 */

export const groupsOf = (graph: Graph): readonly Group[] => graph.groups ?? [];

/** The group holding `nodeId`, if any. */
export const groupOfNode = (graph: Graph, nodeId: string): Group | undefined =>
  groupsOf(graph).find((g) => g.nodes.includes(nodeId));

/** A graph with `groups` set, the field dropped when none are left (so an ungrouped graph saves as before). */
function withGroups(graph: Graph, groups: Group[]): Graph {
  const next: Graph = { ...graph, groups };
  if (!groups.length) delete next.groups;
  return next;
}

/** "group_1", "group_2", …: the first id no group or node has. */
function freshGroupId(graph: Graph): string {
  const used = new Set([...graph.nodes.map((n) => n.id), ...groupsOf(graph).map((g) => g.id)]);
  for (let n = 1; ; n++) if (!used.has(`group_${n}`)) return `group_${n}`;
}

/**
 * Groups the nodes `ids` (those that exist) under `name`; a node leaves any group it was in, and a group
 * left empty goes. Returns the graph and the new group's id, or an error sentence.
 */
export function createGroup(
  graph: Graph,
  ids: readonly string[],
  name: string,
): { graph: Graph; groupId: string } | { error: string } {
  const exists = new Set(graph.nodes.map((n) => n.id));
  const members = [...new Set(ids)].filter((id) => exists.has(id));
  if (members.length < 2) return { error: 'Select at least two blocks to group them.' };
  const trimmed = name.trim();
  if (!trimmed) return { error: 'A group needs a name.' };
  const taken = new Set(members);
  const others = groupsOf(graph)
    .map((g) => ({ ...g, nodes: g.nodes.filter((id) => !taken.has(id)) }))
    .filter((g) => g.nodes.length > 0);
  const groupId = freshGroupId(graph);
  return {
    graph: withGroups(graph, [...others, { id: groupId, name: trimmed, nodes: members, collapsed: false }]),
    groupId,
  };
}

/** Removes the group; its nodes stay where they are. */
export const ungroup = (graph: Graph, groupId: string): Graph =>
  withGroups(
    graph,
    groupsOf(graph).filter((g) => g.id !== groupId),
  );

export function setGroupCollapsed(graph: Graph, groupId: string, collapsed: boolean): Graph {
  const groups = groupsOf(graph);
  const g = groups.find((x) => x.id === groupId);
  if (!g || g.collapsed === collapsed) return graph;
  return withGroups(
    graph,
    groups.map((x) => (x.id === groupId ? { ...x, collapsed } : x)),
  );
}

export function renameGroup(graph: Graph, groupId: string, name: string): Graph {
  const trimmed = name.trim();
  if (!trimmed) return graph;
  return withGroups(
    graph,
    groupsOf(graph).map((g) => (g.id === groupId ? { ...g, name: trimmed } : g)),
  );
}

/**
 * Keeps groups in step with the nodes: ids that no longer exist leave their group, `replace` swaps a node
 * for the nodes it became (an expanded block), and a group with no members left goes.
 */
export function pruneGroups(graph: Graph, replace: ReadonlyMap<string, readonly string[]> = new Map()): Graph {
  if (!graph.groups) return graph;
  const exists = new Set(graph.nodes.map((n) => n.id));
  const groups = graph.groups
    .map((g) => ({ ...g, nodes: g.nodes.flatMap((id) => replace.get(id) ?? [id]).filter((id) => exists.has(id)) }))
    .filter((g) => g.nodes.length > 0);
  const same =
    groups.length === graph.groups.length &&
    groups.every(
      (g, i) =>
        g.nodes.length === graph.groups?.[i].nodes.length &&
        g.nodes.every((id, k) => id === graph.groups?.[i].nodes[k]),
    );
  return same ? graph : withGroups(graph, groups);
}

/** The wires that cross a group's border: `inputs` end inside it, `outputs` start inside it. */
export function groupBorder(graph: Graph, group: Group): { inputs: Edge[]; outputs: Edge[] } {
  const inside = new Set(group.nodes);
  return {
    inputs: graph.edges.filter((e) => inside.has(e.to.node) && !inside.has(e.from.node)),
    outputs: graph.edges.filter((e) => inside.has(e.from.node) && !inside.has(e.to.node)),
  };
}
