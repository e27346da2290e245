/** The graph document of DESIGN §2: only this is saved; derived shapes and UI state never are. */
export type ParamValue = number | boolean | string;

export interface GraphNode {
  id: string;
  type: string;
  params: Record<string, ParamValue>;
  position: { x: number; y: number };
  /** The node def's `version` the params were written for; absent means current (node migrations, STYLE §2.4). */
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

export interface Graph {
  format: 'wordloom-graph';
  version: number;
  name: string;
  description?: string;
  nodes: GraphNode[];
  edges: Edge[];
}

export const GRAPH_FORMAT = 'wordloom-graph';
export const GRAPH_VERSION = 1;
