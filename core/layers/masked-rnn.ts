import * as tf from '@tensorflow/tfjs';
import { orthogonalMatrix } from './orthogonal';
import { pair, shapePair, single, type BaseLayerArgs, type CallKwargs, type LayerShape } from './ops';

/** Lower-case single words: tf.js snake-cases string config values on save and camel-cases them on load. */
export type RnnCell = 'rnn' | 'lstm' | 'gru';
const CELLS: readonly string[] = ['rnn', 'lstm', 'gru'];

export interface MaskedRNNArgs extends BaseLayerArgs {
  cell: RnnCell;
  units: number;
  returnSequences: boolean;
  bidirectional: boolean;
}

function makeRnn(cell: RnnCell, base: { units: number; returnSequences: boolean; name: string }): tf.RNN {
  // Glorot here only as a cheap placeholder: build() overwrites recurrent kernels with orthogonal ones.
  const args = { ...base, recurrentInitializer: 'glorotUniform' as const };
  if (cell === 'lstm') return tf.layers.lstm(args);
  if (cell === 'gru') return tf.layers.gru(args);
  return tf.layers.simpleRNN(args);
}

/**
 * A tf.js SimpleRNN/LSTM/GRU (optionally bidirectional, outputs concatenated) over [x (B, T, D), tokens (B, T)],
 * called with the padding mask (token 0) so padded steps carry the state: with returnSequences=false the output is
 * the state at the last real token. The inner layer is owned, not exposed, so its weights are reported as ours.
 */
export class MaskedRNN extends tf.layers.Layer {
  static className = 'MaskedRNN';
  readonly cell: RnnCell;
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  private readonly rnn: tf.layers.Layer;

  constructor(args: MaskedRNNArgs) {
    super(args);
    if (!CELLS.includes(args.cell))
      throw new Error(`cell must be one of ${CELLS.join(', ')}, got ${String(args.cell)}`);
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new Error(`units must be a positive integer, got ${args.units}`);
    this.cell = args.cell;
    this.units = args.units;
    this.returnSequences = args.returnSequences;
    this.bidirectional = args.bidirectional;
    // The inner name derives from ours so weight names survive a save/load round trip.
    const inner = makeRnn(args.cell, {
      units: args.units,
      returnSequences: args.returnSequences,
      name: `${this.name}_${args.cell}`,
    });
    this.rnn = args.bidirectional ? tf.layers.bidirectional({ layer: inner, mergeMode: 'concat' }) : inner;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [xShape] = shapePair(inputShape, MaskedRNN.className);
    this.rnn.build(xShape);
    // Keras's default orthogonal recurrent kernels, without tf.js's slow QR (see orthogonal.ts).
    for (const w of this.rnn.weights) {
      const [rows, cols] = w.shape;
      if (!w.originalName.endsWith('recurrent_kernel') || !rows || !cols) continue;
      const value = tf.tensor2d(orthogonalMatrix(rows, cols), [rows, cols]);
      w.write(value);
      value.dispose();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, seqLen]] = shapePair(inputShape, MaskedRNN.className);
    const width = this.bidirectional ? 2 * this.units : this.units;
    return this.returnSequences ? [batch ?? null, seqLen ?? null, width] : [batch ?? null, width];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MaskedRNN.className);
      const mask = tf.notEqual(tokens, 0); // (B, T) bool: false at padding
      return single(this.rnn.call(x, { mask, training: kwargs['training'] === true }), MaskedRNN.className);
    });
  }

  // The base class keeps its own (empty) weight lists; ours are the inner layer's. The guard covers the base constructor.
  override get trainableWeights(): tf.LayerVariable[] {
    return this.rnn !== undefined && this.trainable ? this.rnn.trainableWeights : [];
  }
  override set trainableWeights(_weights: tf.LayerVariable[]) {
    throw new Error('MaskedRNN weights belong to its inner RNN');
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    if (this.rnn === undefined) return [];
    return this.trainable ? this.rnn.nonTrainableWeights : this.rnn.weights;
  }
  override set nonTrainableWeights(_weights: tf.LayerVariable[]) {
    throw new Error('MaskedRNN weights belong to its inner RNN');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      cell: this.cell,
      units: this.units,
      returnSequences: this.returnSequences,
      bidirectional: this.bidirectional,
      ...super.getConfig(),
    };
  }
}
