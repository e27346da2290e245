import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { ParamValue } from '../../core/graph/model';

/** Node data is the document's own {type, params}: shapes and errors come from the analysis slice. */
export type LayerNodeData = { type: string; params: Record<string, ParamValue> };
export type LayerFlowNode = FlowNode<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = FlowEdge<Record<string, never>, 'shape'>;
