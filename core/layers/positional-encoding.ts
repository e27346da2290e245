import * as tf from '@tensorflow/tfjs';
import { single, singleShape, type BaseLayerArgs, type LayerShape } from './ops';

export type PositionKind = 'learned' | 'sinusoidal';

export interface PositionalEncodingArgs extends BaseLayerArgs {
  kind: PositionKind;
}

/** The fixed table of "Attention Is All You Need": sin at even features, cos at odd, wavelengths up to 10000·2π. */
export function sinusoidTable(seqLen: number, dim: number): Float32Array {
  const table = new Float32Array(seqLen * dim);
  for (let t = 0; t < seqLen; t++) {
    for (let i = 0; i < dim; i++) {
      const angle = t / Math.pow(10000, (2 * Math.floor(i / 2)) / dim);
      table[t * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

/**
 * Adds a position signal to x (B, T, D): `learned` owns a trainable (T, D) table (GPT-2), `sinusoidal` adds
 * the fixed table and has no weights. Shorter inputs than the built T use the first rows of the table.
 */
export class PositionalEncoding extends tf.layers.Layer {
  static className = 'PositionalEncoding';
  readonly kind: PositionKind;
  private table: tf.LayerVariable | undefined;

  constructor(args: PositionalEncodingArgs) {
    super(args);
    if (args.kind !== 'learned' && args.kind !== 'sinusoidal')
      throw new Error(`kind must be learned or sinusoidal, got ${String(args.kind)}`);
    this.kind = args.kind;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [, seqLen, dim] = singleShape(inputShape, PositionalEncoding.className);
    if (this.kind === 'learned') {
      if (typeof seqLen !== 'number' || typeof dim !== 'number')
        throw new Error(`PositionalEncoding (learned) needs known T and D, got [${inputShape}]`);
      const init = tf.initializers.truncatedNormal({ stddev: 0.02 });
      this.table = this.addWeight('embeddings', [seqLen, dim], 'float32', init);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(inputShape, PositionalEncoding.className);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs, PositionalEncoding.className);
      const [, seqLen, dim] = x.shape;
      if (seqLen === undefined || dim === undefined)
        throw new Error(`PositionalEncoding expects (B, T, D), got [${x.shape}]`);
      if (this.kind === 'sinusoidal') return tf.add(x, tf.tensor2d(sinusoidTable(seqLen, dim), [seqLen, dim])); // (B, T, D) + (T, D)
      if (!this.table) throw new Error('PositionalEncoding called before build');
      const maxLen = this.table.shape[0] ?? 0;
      if (seqLen > maxLen)
        throw new Error(`PositionalEncoding: sequence length ${seqLen} exceeds the ${maxLen} learned positions`);
      return tf.add(x, tf.slice(this.table.read(), [0, 0], [seqLen, dim])); // (B, T, D) + (T, D)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { kind: this.kind, ...super.getConfig() };
  }
}
