import * as tf from '@tensorflow/tfjs';
import type { AnyNodeDef, Binding, NodeInfo } from '../../../core/nodes/define';
import type { ParamValue } from '../../../core/graph/model';
import { defaultParams } from '../../../core/params/spec';
import type { PortType, PortValue } from '../../../core/nodes/shape';

/** Builds one node on its own, the way the compiler would, so tests can compare tf.js with inference and cost. */
export interface BuiltNode {
  out: PortValue;
  params: number;
  model: tf.LayersModel;
  /** Output shape as tf.js sees it, without the batch axis. */
  tfShape: (number | null)[];
  /** The build returned attention probabilities (an inspection output). */
  attention: boolean;
  params_: Record<string, ParamValue>;
  ports: Record<string, PortValue>;
}

export const T = 8;
export const D = 16;
export const BINDING: Binding = { vocabSize: 50, numClasses: 3 };

/** A canonical value for each port type: tokens [8], sequence [8, 16], vector [16]. */
export function canonical(type: PortType): PortValue {
  if (type === 'tokens') return { type, shape: [T] };
  if (type === 'sequence') return { type, shape: [T, D] };
  if (type === 'vector') return { type, shape: [D] };
  throw new Error(`no canonical value for a ${type} input`);
}

export function buildNode(
  def: AnyNodeDef,
  opts: { params?: Record<string, ParamValue>; inputs?: Record<string, PortValue>; others?: NodeInfo[] } = {},
): BuiltNode {
  const params = { ...defaultParams(def.params), ...opts.params };
  const ports: Record<string, PortValue> =
    opts.inputs ?? Object.fromEntries(Object.entries(def.inputs).map(([k, types]) => [k, canonical(types[0])]));
  const others: NodeInfo[] = [
    { id: 'in', type: 'TokenInput', params: { seqLen: T }, out: { type: 'tokens', shape: [T] } },
    ...(opts.others ?? []),
  ];
  const nodesOfType = (type: string): NodeInfo[] => others.filter((n) => n.type === type);
  const inferArgs = { inputs: ports, params, binding: BINDING, nodesOfType };
  const out = def.infer(inferArgs);
  const cost = def.cost({ ...inferArgs, out });

  const seqLen = def.type === 'TokenInput' && typeof params.seqLen === 'number' ? params.seqLen : T;
  const tokens = tf.input({ shape: [seqLen], dtype: 'int32', name: 'tokens' });
  const symbolic: Record<string, tf.SymbolicTensor> = {};
  const modelInputs: tf.SymbolicTensor[] = [tokens];
  for (const [port, v] of Object.entries(ports)) {
    if (v.type === 'tokens') symbolic[port] = tokens;
    else {
      symbolic[port] = tf.input({ shape: v.shape, name: `in_${port}` });
      modelInputs.push(symbolic[port]);
    }
  }
  const built = def.build({
    inputs: symbolic,
    params,
    binding: BINDING,
    tokens,
    name: 'node',
    layerOf: () => undefined,
    nodesOfType,
  });
  const model = tf.model({ inputs: modelInputs, outputs: built.out });
  return {
    out,
    params: cost.params,
    model,
    tfShape: built.out.shape.slice(1),
    attention: built.attention !== undefined,
    params_: params,
    ports,
  };
}

/** Runs the single-node model on random data for its inputs (token ids in [1, V)). */
export function runNode(model: tf.LayersModel, batch = 2): tf.Tensor {
  const xs = model.inputs.map((inp) =>
    inp.dtype === 'int32'
      ? tf.randomUniform([batch, ...inp.shape.slice(1).map(Number)], 1, BINDING.vocabSize, 'int32')
      : tf.randomNormal([batch, ...inp.shape.slice(1).map(Number)]),
  );
  const y = model.predict(xs.length === 1 ? xs[0] : xs);
  if (Array.isArray(y)) throw new Error('expected one output');
  return y;
}
