import * as tf from '@tensorflow/tfjs';
import {
  attentionParamCount,
  createAttentionWeights,
  readAttention,
  selfAttention,
  type AttentionVariables,
} from './attention';
import {
  addSame,
  dense,
  gelu,
  initializer,
  layerNorm,
  pair,
  shapePair,
  type AddWeightFn,
  type BaseLayerArgs,
  type CallKwargs,
  type LayerShape,
} from './ops';

export type NormPlacement = 'pre' | 'post';

export interface TransformerBlockArgs extends BaseLayerArgs {
  numHeads: number;
  ffMultiplier: number;
  causal: boolean;
  dropout?: number;
  norm?: NormPlacement;
  /** LayerNorm epsilon; 1e-5 as in PyTorch/nanoGPT (tf.js's own LayerNormalization defaults to 1e-3). */
  epsilon?: number;
}

/** Weights in creation order, which is the order `getWeights()` returns (tests/core/layers/reference-gpt.ts relies on it). */
interface BlockVariables {
  ln1Gamma: tf.LayerVariable;
  ln1Beta: tf.LayerVariable;
  attention: AttentionVariables;
  ln2Gamma: tf.LayerVariable;
  ln2Beta: tf.LayerVariable;
  fc1Kernel: tf.LayerVariable;
  fc1Bias: tf.LayerVariable;
  fc2Kernel: tf.LayerVariable;
  fc2Bias: tf.LayerVariable;
}

/** Trainable parameters: attention 4D² + 4D, MLP 2·D·F + F + D with F = ffMultiplier·D, two LayerNorms 4D. */
export const transformerBlockParamCount = (dim: number, ffMultiplier: number): number => {
  const hidden = ffMultiplier * dim;
  return attentionParamCount(dim) + 2 * dim * hidden + hidden + dim + 4 * dim;
};

/**
 * A GPT block over [x (B, T, D), tokens (B, T)] -> [y (B, T, D), probs (B, heads, T, T)]:
 * pre-norm x + attn(ln1(x)), then + mlp(ln2(·)); post-norm ln1(x + attn(x)), then ln2(· + mlp(·)).
 * The MLP is D -> ffMultiplier·D -> D with exact (erf) GELU. Attention math is shared with MultiHeadSelfAttention.
 */
export class TransformerBlock extends tf.layers.Layer {
  static className = 'TransformerBlock';
  readonly numHeads: number;
  readonly ffMultiplier: number;
  readonly causal: boolean;
  readonly dropout: number;
  readonly norm: NormPlacement;
  readonly epsilon: number;
  private vars: BlockVariables | undefined;

  constructor(args: TransformerBlockArgs) {
    super(args);
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1)
      throw new Error(`numHeads must be a positive integer, got ${args.numHeads}`);
    if (!Number.isInteger(args.ffMultiplier) || args.ffMultiplier < 1)
      throw new Error(`ffMultiplier must be a positive integer, got ${args.ffMultiplier}`);
    this.numHeads = args.numHeads;
    this.ffMultiplier = args.ffMultiplier;
    this.causal = args.causal;
    this.dropout = args.dropout ?? 0;
    this.norm = args.norm ?? 'pre';
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [xShape] = shapePair(inputShape, TransformerBlock.className);
    const dim = xShape[2];
    if (typeof dim !== 'number') throw new Error(`TransformerBlock needs a known last axis, got [${xShape}]`);
    if (dim % this.numHeads !== 0)
      throw new Error(`TransformerBlock: dim ${dim} is not divisible by numHeads ${this.numHeads}`);
    const add: AddWeightFn = (name, shape, init) => this.addWeight(name, shape, 'float32', initializer(init));
    const hidden = this.ffMultiplier * dim;
    this.vars = {
      ln1Gamma: add('ln1_gamma', [dim], 'ones'),
      ln1Beta: add('ln1_beta', [dim], 'zeros'),
      attention: createAttentionWeights(dim, add),
      ln2Gamma: add('ln2_gamma', [dim], 'ones'),
      ln2Beta: add('ln2_beta', [dim], 'zeros'),
      fc1Kernel: add('fc1_kernel', [dim, hidden], 'kernel'),
      fc1Bias: add('fc1_bias', [hidden], 'zeros'),
      fc2Kernel: add('fc2_kernel', [hidden, dim], 'kernel'),
      fc2Bias: add('fc2_bias', [dim], 'zeros'),
    };
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape[] {
    const [[batch, seqLen, dim]] = shapePair(inputShape, TransformerBlock.className);
    return [
      [batch ?? null, seqLen ?? null, dim ?? null],
      [batch ?? null, this.numHeads, seqLen ?? null, seqLen ?? null],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, TransformerBlock.className);
      const v = this.vars;
      if (!v) throw new Error('TransformerBlock called before build');
      const training = kwargs['training'] === true;
      const drop = (t: tf.Tensor): tf.Tensor => (training && this.dropout > 0 ? tf.dropout(t, this.dropout) : t);
      const ln1 = (t: tf.Tensor): tf.Tensor => layerNorm(t, v.ln1Gamma.read(), v.ln1Beta.read(), this.epsilon);
      const ln2 = (t: tf.Tensor): tf.Tensor => layerNorm(t, v.ln2Gamma.read(), v.ln2Beta.read(), this.epsilon);
      const attend = (t: tf.Tensor) =>
        selfAttention(t, tokens, readAttention(v.attention), {
          numHeads: this.numHeads,
          causal: this.causal,
          dropout: this.dropout,
          training,
        });
      const mlp = (t: tf.Tensor): tf.Tensor => {
        const hidden = gelu(dense(t, v.fc1Kernel.read(), v.fc1Bias.read())); // (B, T, D) -> (B, T, F)
        return drop(dense(hidden, v.fc2Kernel.read(), v.fc2Bias.read())); // (B, T, F) -> (B, T, D)
      };
      if (this.norm === 'pre') {
        const a = attend(ln1(x));
        const h = addSame(x, a.y); // (B, T, D)
        return [addSame(h, mlp(ln2(h))), a.probs];
      }
      const a = attend(x);
      const h = ln1(addSame(x, a.y)); // (B, T, D)
      return [ln2(addSame(h, mlp(h))), a.probs];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      numHeads: this.numHeads,
      ffMultiplier: this.ffMultiplier,
      causal: this.causal,
      dropout: this.dropout,
      norm: this.norm,
      epsilon: this.epsilon,
      ...super.getConfig(),
    };
  }
}
