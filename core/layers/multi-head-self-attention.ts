import * as tf from '@tensorflow/tfjs';
import { createAttentionWeights, readAttention, selfAttention, type AttentionVariables } from './attention';
import { initializer, pair, shapePair, type BaseLayerArgs, type CallKwargs, type LayerShape } from './ops';

export interface MultiHeadSelfAttentionArgs extends BaseLayerArgs {
  numHeads: number;
  causal: boolean;
  dropout?: number;
  /** Rotary position embeddings on q and k (needs an even head width). */
  rope?: boolean;
  /** Heads of k and v (grouped-query attention); must divide numHeads. Default numHeads. */
  kvHeads?: number;
}

/**
 * Multi-head self-attention over [x (B, T, D), tokens (B, T)] -> [y (B, T, D), probs (B, heads, T, T)].
 * Padding keys (token 0) are never attended; `causal` hides later positions. Weights: D×3D + 3D, D×D + D.
 * The second output exists so the attention maps can be read out; training models use only y.
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'MultiHeadSelfAttention';
  readonly numHeads: number;
  readonly causal: boolean;
  readonly dropout: number;
  readonly rope: boolean;
  readonly kvHeads: number;
  private vars: AttentionVariables | undefined;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1)
      throw new Error(`numHeads must be a positive integer, got ${args.numHeads}`);
    this.numHeads = args.numHeads;
    this.causal = args.causal;
    this.dropout = args.dropout ?? 0;
    this.rope = args.rope ?? false;
    this.kvHeads = args.kvHeads ?? args.numHeads;
    if (!Number.isInteger(this.kvHeads) || this.kvHeads < 1 || args.numHeads % this.kvHeads !== 0)
      throw new Error(`kvHeads must be a positive divisor of numHeads ${args.numHeads}, got ${this.kvHeads}`);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [xShape] = shapePair(inputShape, MultiHeadSelfAttention.className);
    const dim = xShape[2];
    if (typeof dim !== 'number') throw new Error(`MultiHeadSelfAttention needs a known last axis, got [${xShape}]`);
    if (dim % this.numHeads !== 0)
      throw new Error(`MultiHeadSelfAttention: dim ${dim} is not divisible by numHeads ${this.numHeads}`);
    if (this.rope && (dim / this.numHeads) % 2 !== 0)
      throw new Error(`MultiHeadSelfAttention: RoPE needs an even head width, got ${dim / this.numHeads}`);
    this.vars = createAttentionWeights(
      dim,
      (name, shape, init) => this.addWeight(name, shape, 'float32', initializer(init)),
      (dim / this.numHeads) * this.kvHeads,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape[] {
    const [[batch, seqLen, dim]] = shapePair(inputShape, MultiHeadSelfAttention.className);
    return [
      [batch ?? null, seqLen ?? null, dim ?? null],
      [batch ?? null, this.numHeads, seqLen ?? null, seqLen ?? null],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MultiHeadSelfAttention.className);
      if (!this.vars) throw new Error('MultiHeadSelfAttention called before build');
      const { y, probs } = selfAttention(x, tokens, readAttention(this.vars), {
        numHeads: this.numHeads,
        causal: this.causal,
        dropout: this.dropout,
        rope: this.rope,
        kvHeads: this.kvHeads,
        training: kwargs['training'] === true,
      });
      return [y, probs];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      numHeads: this.numHeads,
      causal: this.causal,
      dropout: this.dropout,
      rope: this.rope,
      kvHeads: this.kvHeads,
      ...super.getConfig(),
    };
  }
}
