import * as tf from '@tensorflow/tfjs';
import { gelu, initializer, keepMask, pair, shapePair, type BaseLayerArgs, type LayerShape } from './ops';

export type ConvActivation = 'linear' | 'relu' | 'gelu';

export interface MaskedConv1DArgs extends BaseLayerArgs {
  filters: number;
  kernelSize: number;
  activation: ConvActivation;
}

/**
 * A causal 1-D convolution over [x (B, T, D), tokens (B, T)] -> (B, T, filters): position t sees positions
 * t-k+1 … t only (k-1 zeros padded on the left), inputs at padding (token 0) are zeroed first so they never
 * leak into a real position, and outputs at padding are 0. Weights: kernel (k, D, F) as tf.conv1d, bias (F).
 */
export class MaskedConv1D extends tf.layers.Layer {
  static className = 'MaskedConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly activation: ConvActivation;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: MaskedConv1DArgs) {
    super(args);
    for (const [k, v] of [
      ['filters', args.filters],
      ['kernelSize', args.kernelSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer, got ${v}`);
    }
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.activation = args.activation;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [xShape] = shapePair(inputShape, MaskedConv1D.className);
    const dim = xShape[2];
    if (typeof dim !== 'number') throw new Error(`MaskedConv1D needs a known last axis, got [${xShape}]`);
    this.kernel = this.addWeight('kernel', [this.kernelSize, dim, this.filters], 'float32', initializer('kernel'));
    this.bias = this.addWeight('bias', [this.filters], 'float32', initializer('zeros'));
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, seqLen]] = shapePair(inputShape, MaskedConv1D.className);
    return [batch ?? null, seqLen ?? null, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MaskedConv1D.className);
      if (!this.kernel || !this.bias) throw new Error('MaskedConv1D called before build');
      const keep = tf.expandDims(keepMask(tokens), -1); // (B, T, 1)
      const padded = tf.pad(tf.mul(x, keep), [
        [0, 0],
        [this.kernelSize - 1, 0],
        [0, 0],
      ]); // (B, T, D) -> (B, k-1+T, D): zeros before the first position, padding zeroed
      const conv = tf.conv1d(padded as tf.Tensor3D, this.kernel.read() as tf.Tensor3D, 1, 'valid'); // (B, T, F)
      const y = tf.add(conv, this.bias.read());
      const act = this.activation === 'relu' ? tf.relu(y) : this.activation === 'gelu' ? gelu(y) : y;
      return tf.mul(act, keep); // (B, T, F), 0 at padding
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { filters: this.filters, kernelSize: this.kernelSize, activation: this.activation, ...super.getConfig() };
  }
}
