import * as tf from '@tensorflow/tfjs';
import { singleShape, single, type BaseLayerArgs, type LayerShape } from './ops';

export interface RMSNormArgs extends BaseLayerArgs {
  epsilon?: number;
}

/**
 * RMSNorm (Zhang & Sennrich 2019, used by LLaMA): x / sqrt(mean(x²) + ε) · gamma over the last axis. Unlike
 * LayerNorm it neither subtracts the mean nor adds a shift: D weights, one reduction less.
 */
export class RMSNorm extends tf.layers.Layer {
  static className = 'RMSNorm';
  readonly epsilon: number;
  private gamma: tf.LayerVariable | undefined;

  constructor(args: RMSNormArgs) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-6;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape, RMSNorm.className);
    const dim = shape[shape.length - 1];
    if (typeof dim !== 'number') throw new Error(`RMSNorm needs a known last axis, got [${shape}]`);
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(inputShape, RMSNorm.className);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs, RMSNorm.className);
      if (!this.gamma) throw new Error('RMSNorm called before build');
      const meanSquare = tf.mean(tf.square(x), -1, true); // (..., D) -> (..., 1)
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, this.epsilon))), this.gamma.read()); // (..., D)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { epsilon: this.epsilon, ...super.getConfig() };
  }
}
