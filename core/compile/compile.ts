import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../nodes/index';
import type { Edge, Graph, GraphNode } from '../graph/model';
import { nodeLabel } from '../graph/params';
import type { Binding, BuildResult, NodeInfo, Task } from '../nodes/define';
import { getNodeDef } from '../nodes/index';
import type { GraphAnalysis } from '../shapes/analysis';
import { inferGraph } from '../shapes/infer';
import { ShapeError } from '../nodes/shape';
import { error, type Diagnostic } from '../graph/diagnostics';
import { layerNames } from './names';

/** An attention node of a compiled model: its probabilities (B, heads, T, T) are the last output of `layerName`. */
export interface AttentionInfo {
  nodeId: string;
  layerName: string;
  numHeads: number;
}

export type CompileResult =
  | { ok: true; model: tf.LayersModel; task: Task; headId: string; attention: AttentionInfo[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Name of the model's one input, (B, T) int32 token ids. */
export const TOKENS_INPUT = 'tokens';

/**
 * Graph → tf.js model whose output is the head's raw logits. Inference runs first: any error there
 * (or a node that cannot be built) comes back as diagnostics, never as a thrown exception.
 */
export function compileGraph(graph: Graph, binding: Binding): CompileResult {
  const analysis = inferGraph(graph, binding);
  const problems = errorsOf(analysis);
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const { task, headId, seqLen } = analysis;
  if (task === undefined || headId === undefined || seqLen === undefined) {
    return fail(
      error('no-head', 'The graph needs one TokenInput and one head (next-token, classifier or tagger) to compile.'),
    );
  }
  registerCustomLayers();

  const names = layerNames(analysis.order, [TOKENS_INPUT]);
  const tokens = tf.input({ shape: [seqLen], dtype: 'int32', name: TOKENS_INPUT }); // (B, T)
  // Lookups by id and type are maps, so compiling stays linear in the graph (issue 12).
  const byId = new Map<string, GraphNode>();
  const byType = new Map<string, NodeInfo[]>();
  for (const n of graph.nodes) {
    if (byId.has(n.id)) continue;
    byId.set(n.id, n);
    const info = { id: n.id, type: n.type, params: analysis.nodes[n.id]?.params ?? n.params, out: analysis.nodes[n.id]?.out };
    const list = byType.get(n.type) ?? [];
    list.push(info);
    byType.set(n.type, list);
  }
  const edgesInto = new Map<string, Edge[]>();
  for (const e of graph.edges) {
    const list = edgesInto.get(e.to.node) ?? [];
    list.push(e);
    edgesInto.set(e.to.node, list);
  }
  const nodesOfType = (type: string): NodeInfo[] => byType.get(type) ?? [];
  const built = new Map<string, BuildResult>();

  for (const id of analysis.order) {
    const node = byId.get(id);
    const def = node && getNodeDef(node.type);
    if (!node || !def) throw new Error(`compileGraph: inference accepted node "${id}" but it has no definition`);
    const inputs: Record<string, tf.SymbolicTensor> = {};
    for (const e of edgesInto.get(id) ?? []) {
      const src = built.get(e.from.node);
      if (!src) throw new Error(`compileGraph: node "${e.from.node}" feeds "${id}" but was not built first`);
      inputs[e.to.port] = src.out;
    }
    const name = names.get(id) ?? id;
    try {
      const params = analysis.nodes[id]?.params ?? node.params;
      built.set(
        id,
        def.build({ inputs, params, binding, tokens, name, nodesOfType, layerOf: (n) => built.get(n)?.layer }),
      );
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err; // a bug in the node def, not the user's doing
      const where = `${nodeLabel(node.type, id)}${err.port ? `.${err.port}` : ''}`;
      return fail(
        error('shape-mismatch', `${where}: ${err.message}`, { nodeId: id, ...(err.port ? { port: err.port } : {}) }),
      );
    }
  }

  const head = built.get(headId);
  if (!head) throw new Error(`compileGraph: head "${headId}" was not built`);
  const model = tf.model({ inputs: tokens, outputs: head.out }); // (B, T) → logits
  const inModel = new Set(model.layers.map((l) => l.name));
  const attention: AttentionInfo[] = [];
  for (const id of analysis.order) {
    const probs = built.get(id)?.attention;
    if (!probs || !inModel.has(probs.sourceLayer.name)) continue;
    const heads = probs.shape[1]; // (B, heads, T, T)
    if (typeof heads !== 'number') throw new Error(`compileGraph: attention of "${id}" has no head axis`);
    attention.push({ nodeId: id, layerName: probs.sourceLayer.name, numHeads: heads });
  }
  return { ok: true, model, task, headId, attention };
}

/** Errors from inference, each once (graph-level and per-node lists may repeat one another). */
function errorsOf(analysis: GraphAnalysis): Diagnostic[] {
  const all = [...analysis.diagnostics, ...Object.values(analysis.nodes).flatMap((n) => n.diagnostics)];
  const seen = new Set<string>();
  return all.filter((d) => {
    const key = `${d.code}|${d.nodeId ?? ''}|${d.edgeId ?? ''}|${d.message}`;
    if (d.severity !== 'error' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const fail = (...diagnostics: Diagnostic[]): CompileResult => ({ ok: false, diagnostics });
