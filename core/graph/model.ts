/** The graph document of docs/graph-format.md: only this is saved; derived shapes and UI state never are. */
export type ParamValue = number | boolean | string;

export interface GraphNode {
  id: string;
  type: string;
  params: Record<string, ParamValue>;
  position: { x: number; y: number };
  /** The node def's `version` the params were written for; absent means current (node migrations, docs/graph-format.md#versions-and-migrations). */
  typeVersion?: number;
}

export interface PortRef {
  node: string;
  port: string;
}

export interface Edge {
  id: string;
  from: PortRef;
  to: PortRef;
}

/**
 * A named set of nodes the editor draws together and can fold into one box (docs/graph-format.md, "Groups"). A view of the
 * graph only: the compiler, inference and export see its nodes as if there were no group.
 */
export interface Group {
  id: string;
  name: string;
  /** Member node ids; a node belongs to at most one group. */
  nodes: string[];
  collapsed: boolean;
}

export interface Graph {
  format: 'wordloom-graph';
  version: number;
  name: string;
  description?: string;
  nodes: GraphNode[];
  edges: Edge[];
  /** Absent or empty: no groups. */
  groups?: Group[];
}

export const GRAPH_FORMAT = 'wordloom-graph';
/** 2: `groups` (core/graph/migrate.ts). */
export const GRAPH_VERSION = 2;
