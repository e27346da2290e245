import * as tf from '@tensorflow/tfjs';
import { single, singleShape, type BaseLayerArgs, type LayerShape } from './ops';

export interface BagOfWordsArgs extends BaseLayerArgs {
  vocabSize: number;
  binary: boolean;
}

/**
 * Token ids (B, T) -> per-example counts (B, V), or 0/1 presence when `binary`. The padding id 0 is never counted.
 * Uses denseBincount, so there is no (B, T, V) one-hot in between; it has no weights and no gradient (ids are not trained).
 */
export class BagOfWords extends tf.layers.Layer {
  static className = 'BagOfWords';
  readonly vocabSize: number;
  readonly binary: boolean;

  constructor(args: BagOfWordsArgs) {
    super(args);
    if (!Number.isInteger(args.vocabSize) || args.vocabSize < 1)
      throw new Error(`vocabSize must be a positive integer, got ${args.vocabSize}`);
    this.vocabSize = args.vocabSize;
    this.binary = args.binary;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [batch] = singleShape(inputShape, BagOfWords.className);
    return [batch ?? null, this.vocabSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const raw = single(inputs, BagOfWords.className);
      const [batch, seqLen] = raw.shape;
      if (raw.rank !== 2 || batch === undefined || seqLen === undefined)
        throw new Error(`BagOfWords expects token ids (B, T), got [${raw.shape}]`);
      const ids: tf.Tensor2D = tf.reshape(tf.cast(raw, 'int32'), [batch, seqLen]); // (B, T), typed as rank 2
      const counts = tf.denseBincount(ids, [], this.vocabSize, this.binary); // (B, T) -> (B, V)
      const notPad = tf.concat([tf.zeros([1]), tf.ones([this.vocabSize - 1])]); // (V,): drops the padding column
      return tf.mul(counts, notPad); // (B, V)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { vocabSize: this.vocabSize, binary: this.binary, ...super.getConfig() };
  }
}
