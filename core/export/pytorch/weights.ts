import type * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './safetensors';
import { getNodeDef } from '../../nodes/index';
import type { ExportPlan, PlanNode, WeightRef } from '../../nodes/pytorch';

export type { WeightRef } from '../../nodes/pytorch';

/** The state_dict entries of one node, in the order model.py creates them, from its definition in the registry. */
export function weightRefs(n: PlanNode): WeightRef[] {
  const def = getNodeDef(n.type);
  if (!def) throw new Error(`weights: no node type ${n.type} (planExport should have refused it)`);
  return def.pytorch.weights(n);
}

export function findVariable(model: tf.LayersModel, ref: WeightRef): tf.LayerVariable {
  const layer = model.getLayer(ref.layer);
  const matches = layer.weights.filter((w) => {
    // Saved and reloaded models name RNN weights `lstm/forward_lstm_lstm/kernel` or `lstm/forward_kernel`.
    const name = w.originalName;
    const own = name.slice(name.lastIndexOf('/') + 1).replace(/^(forward|backward)_/, '');
    if (own !== ref.suffix) return false;
    return ref.direction === undefined || name.includes('backward_') === (ref.direction === 'backward');
  });
  const only = matches[0];
  if (matches.length !== 1 || !only) {
    const have = layer.weights.map((w) => w.originalName).join(', ');
    throw new Error(
      `weights: layer "${ref.layer}" has ${matches.length} weights named */${ref.suffix} (it has ${have})`,
    );
  }
  return only;
}

/** A row-major tensor of `shape` with its axes reordered by `perm` (as tf.transpose): the data and the new shape. */
export function permuteAxes(data: Float32Array, shape: readonly number[], perm: readonly number[]) {
  if (perm.length !== shape.length || [...perm].sort().some((p, i) => p !== i))
    throw new Error(`weights: permutation [${perm}] does not fit shape [${shape}]`);
  const outShape = perm.map((p) => shape[p] ?? 0);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += (index[k] ?? 0) * (strides[perm[k] ?? 0] ?? 0);
    out[o] = data[src] ?? 0;
    for (let k = outShape.length - 1; k >= 0; k--) {
      index[k] = (index[k] ?? 0) + 1;
      if ((index[k] ?? 0) < (outShape[k] ?? 0)) break;
      index[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/**
 * Every weight of the plan, read from the tf.js model and laid out as PyTorch's state_dict expects. A weight
 * of a planned layer that no node claims is an error here, not a silently missing tensor.
 */
export async function pytorchWeights(model: tf.LayersModel, plan: ExportPlan): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [];
  const claimed = new Set<tf.LayerVariable>();
  const layers = new Set<string>();
  for (const ref of plan.nodes.flatMap(weightRefs)) {
    const v = findVariable(model, ref);
    claimed.add(v);
    layers.add(ref.layer);
    const value = v.read();
    const data = Float32Array.from(await value.data());
    const shape = [...value.shape];
    if (!ref.permute) out.push({ name: ref.key, shape, data });
    else out.push({ name: ref.key, ...permuteAxes(data, shape, ref.permute) });
  }
  for (const name of layers) {
    const missed = model.getLayer(name).weights.find((w) => !claimed.has(w));
    if (missed) throw new Error(`weights: layer "${name}" has ${missed.originalName}, which no state_dict entry takes`);
  }
  return out;
}
