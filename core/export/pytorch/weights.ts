import type * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './safetensors';
import type { ExportPlan, PlanNode } from './plan';

/** One state_dict entry and where its numbers live in the tf.js model. */
export interface WeightRef {
  /** PyTorch state_dict key, e.g. `block1.attn.qkv.weight`. */
  key: string;
  /** tf.js layer name. */
  layer: string;
  /** The weight's own name (after the last `/`, without a forward_/backward_ prefix): `kernel`, `qkv_bias`, … */
  suffix: string;
  /** tf.js keeps Dense kernels as (in, out); nn.Linear wants (out, in). */
  transpose: boolean;
  /** Bidirectional RNNs hold a forward and a backward copy of each weight. */
  direction?: 'forward' | 'backward';
}

const linear = (key: string, layer: string, kernel = 'kernel', bias = 'bias'): WeightRef[] => [
  { key: `${key}.weight`, layer, suffix: kernel, transpose: true },
  { key: `${key}.bias`, layer, suffix: bias, transpose: false },
];
const plain = (key: string, layer: string, suffix: string): WeightRef => ({ key, layer, suffix, transpose: false });

/** The state_dict entries of one node, in the order model.py creates them. */
export function weightRefs(n: PlanNode): WeightRef[] {
  const { py, layer } = n;
  switch (n.type) {
    case 'Embedding':
      return [plain(`${py}.weight`, layer, 'embeddings')];
    case 'PositionalEncoding':
      return n.params.kind === 'learned' ? [plain(`${py}.weight`, layer, 'embeddings')] : [];
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const dirs = n.params.bidirectional === true ? (['forward', 'backward'] as const) : (['forward'] as const);
      return dirs.flatMap((direction) => {
        const cell = `${py}.${direction === 'forward' ? 'fwd' : 'bwd'}`;
        return [
          { key: `${cell}.ih.weight`, layer, suffix: 'kernel', transpose: true, direction },
          { key: `${cell}.ih.bias`, layer, suffix: 'bias', transpose: false, direction },
          { key: `${cell}.hh.weight`, layer, suffix: 'recurrent_kernel', transpose: true, direction },
        ];
      });
    }
    case 'SelfAttention':
      return [
        ...linear(`${py}.qkv`, layer, 'qkv_kernel', 'qkv_bias'),
        ...linear(`${py}.out`, layer, 'out_kernel', 'out_bias'),
      ];
    case 'TransformerBlock':
      return [
        plain(`${py}.ln1.weight`, layer, 'ln1_gamma'),
        plain(`${py}.ln1.bias`, layer, 'ln1_beta'),
        ...linear(`${py}.attn.qkv`, layer, 'qkv_kernel', 'qkv_bias'),
        ...linear(`${py}.attn.out`, layer, 'out_kernel', 'out_bias'),
        plain(`${py}.ln2.weight`, layer, 'ln2_gamma'),
        plain(`${py}.ln2.bias`, layer, 'ln2_beta'),
        ...linear(`${py}.fc1`, layer, 'fc1_kernel', 'fc1_bias'),
        ...linear(`${py}.fc2`, layer, 'fc2_kernel', 'fc2_bias'),
      ];
    case 'FeedForward':
      return [...linear(`${py}.up`, `${layer}_up`), ...linear(`${py}.down`, `${layer}_down`)];
    case 'LayerNorm':
      return [plain(`${py}.weight`, layer, 'gamma'), plain(`${py}.bias`, layer, 'beta')];
    case 'NextTokenHead':
      return n.params.tieEmbedding === true ? [] : linear(py, layer);
    case 'Dense':
    case 'ClassifierHead':
    case 'TaggerHead':
      return linear(py, layer);
    default:
      return []; // TokenInput, BagOfWords, Dropout, Add, Concat and the pools have no weights
  }
}

function findVariable(model: tf.LayersModel, ref: WeightRef): tf.LayerVariable {
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

/** (rows, cols) row-major → (cols, rows). */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Every weight of the plan, read from the tf.js model and laid out as PyTorch's state_dict expects. */
export async function pytorchWeights(model: tf.LayersModel, plan: ExportPlan): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [];
  for (const ref of plan.nodes.flatMap(weightRefs)) {
    const v = findVariable(model, ref);
    const value = v.read();
    const data = Float32Array.from(await value.data());
    const shape = [...value.shape];
    if (!ref.transpose) {
      out.push({ name: ref.key, shape, data });
      continue;
    }
    const [rows, cols] = shape;
    if (shape.length !== 2 || rows === undefined || cols === undefined)
      throw new Error(`weights: ${ref.key} should be a 2-D kernel, got shape [${shape}]`);
    out.push({ name: ref.key, shape: [cols, rows], data: transpose2d(data, rows, cols) });
  }
  return out;
}
