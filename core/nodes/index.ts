import type { AnyNodeDef } from './define';

/**
 * Every node type, in palette order. Adding a node type touches its own file and this list only.
 * (Filled in by the node catalog work; see DESIGN §3.)
 */
export const NODE_DEFS: readonly AnyNodeDef[] = [];

const byType = new Map<string, AnyNodeDef>(NODE_DEFS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export const getNodeDef = (type: string): AnyNodeDef | undefined => byType.get(type);
