import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { ParamValue } from '../../core/graph/model';

/** Node data is the document's own {type, params}: shapes and errors come from the analysis slice. */
export type LayerNodeData = { type: string; params: Record<string, ParamValue> };
export type LayerFlowNode = FlowNode<LayerNodeData, 'layer'>;

/**
 * A group on the canvas: a frame behind its blocks, or (collapsed) one box in their place whose ports are
 * the wires crossing its border. Handle ids: `in:<node>.<port>` for a wire in, `out:<node>` for a wire out.
 */
export type GroupNodeData = {
  groupId: string;
  name: string;
  collapsed: boolean;
  members: string[];
  inputs: string[];
  outputs: string[];
};
export type GroupFlowNode = FlowNode<GroupNodeData, 'wlgroup'>;
export type CanvasFlowNode = LayerFlowNode | GroupFlowNode;

/** `from` is the node whose output flows on the edge, even when a collapsed group stands in for it. */
export type ShapeFlowEdge = FlowEdge<{ from: string }, 'shape'>;
