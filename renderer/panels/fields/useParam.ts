import { useAppStore } from '../../store';
import type { ParamValue } from '../../../core/graph/model';

/** One param of one node, its validation sentence (from inference) and the setter. */
export function useParam(
  nodeId: string,
  name: string,
): {
  value: ParamValue | undefined;
  problem: string | undefined;
  setValue: (v: ParamValue) => void;
} {
  const value = useAppStore(
    (s) => s.analysis.nodes[nodeId]?.params[name] ?? s.graph.nodes.find((n) => n.id === nodeId)?.params[name],
  );
  const problem = useAppStore((s) => s.analysis.nodes[nodeId]?.diagnostics.find((d) => d.param === name)?.message);
  const setParam = useAppStore((s) => s.setParam);
  return { value, problem, setValue: (v) => setParam(nodeId, name, v) };
}
