/**
 * Quick add's "connect to…": which blocks can be wired to a given output (or feed a given input), and the port
 * the wire uses. A candidate is tried on a copy of the graph with canConnect, so the answer is exactly the
 * canvas's own rule (port types, cycles, a taken input).
 */
import type { Graph, PortRef } from '../../core/graph/model';
import { addNode } from '../../core/graph/ops';
import { canConnect, connect } from '../../core/shapes/connect';
import type { AnyNodeDef, Binding } from '../../core/nodes/define';

export interface QuickLink {
  from?: PortRef;
  to?: PortRef;
}

/** How a new block of `def.type` joins: `port` is its input (for `from`) or 'out' (for `to`); null: it does not fit. */
export function linkPort(graph: Graph, binding: Binding, def: AnyNodeDef, link: QuickLink): string | null {
  if (!link.from && !link.to) return null;
  const next = addNode(graph, def.type, { x: 0, y: 0 });
  const id = next.nodes[next.nodes.length - 1]?.id;
  if (!id) return null;
  if (link.from) {
    const from = link.from;
    return Object.keys(def.inputs).find((port) => canConnect(next, from, { node: id, port }, binding) === null) ?? null;
  }
  if (def.head !== undefined || !link.to) return null;
  return canConnect(next, { node: id, port: 'out' }, link.to, binding) === null ? 'out' : null;
}

/**
 * Blocks that can sit between an output and an input that refuse each other (a sequence into a head that takes
 * a vector: Mean pool, Last token…): each takes `from` on one of its inputs and its output fits `to`.
 */
export function bridges(
  graph: Graph,
  binding: Binding,
  defs: readonly AnyNodeDef[],
  from: PortRef,
  to: PortRef,
): { def: AnyNodeDef; port: string }[] {
  return defs.flatMap((def) => {
    if (def.head !== undefined) return [];
    const added = addNode(graph, def.type, { x: 0, y: 0 });
    const id = added.nodes[added.nodes.length - 1]?.id;
    if (!id) return [];
    const port = Object.keys(def.inputs).find((p) => canConnect(added, from, { node: id, port: p }, binding) === null);
    if (!port) return [];
    const wired = connect(added, from, { node: id, port }, binding);
    if ('error' in wired) return [];
    return canConnect(wired.graph, { node: id, port: 'out' }, to, binding) === null ? [{ def, port }] : [];
  });
}

/** The defs that fit the link, in the given order, each with its port. */
export function compatibleDefs(
  graph: Graph,
  binding: Binding,
  defs: readonly AnyNodeDef[],
  link: QuickLink,
): { def: AnyNodeDef; port: string }[] {
  return defs.flatMap((def) => {
    const port = linkPort(graph, binding, def, link);
    return port === null ? [] : [{ def, port }];
  });
}
