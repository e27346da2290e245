import type { Diagnostic } from '../graph/diagnostics';
import type { ParamValue } from '../graph/model';
import type { Cost, Task } from '../nodes/define';
import type { PortValue } from '../nodes/shape';

/** What inference knows about one node: its output, its cost, its params with defaults filled. */
export interface NodeAnalysis {
  out?: PortValue;
  cost?: Cost;
  params: Record<string, ParamValue>;
  diagnostics: Diagnostic[];
}

/** Result of `inferGraph(graph, binding)` (core/shapes/infer.ts): every error at once, each naming a node or edge. */
export interface GraphAnalysis {
  nodes: Record<string, NodeAnalysis>;
  /** Topological order of the node ids (empty when the graph has a cycle). */
  order: string[];
  diagnostics: Diagnostic[];
  /** Sums over nodes whose cost is known. */
  totals: Cost;
  task?: Task;
  headId?: string;
  inputId?: string;
  /** T of the TokenInput, when valid. */
  seqLen?: number;
}
