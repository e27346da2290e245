import * as tf from '@tensorflow/tfjs';
import { initializer, keepMask, pair, shapePair, type BaseLayerArgs, type LayerShape } from './ops';
import { orthogonalMatrix } from './orthogonal';
import { GATES, recurrence, type RnnCell } from './recurrence';

export type { RnnCell } from './recurrence';

/** Lower-case single words: tf.js snake-cases string config values on save and camel-cases them on load. */
const CELLS: readonly string[] = ['rnn', 'lstm', 'gru'];

export interface MaskedRNNArgs extends BaseLayerArgs {
  cell: RnnCell;
  units: number;
  returnSequences: boolean;
  bidirectional: boolean;
}

interface DirectionVariables {
  kernel: tf.LayerVariable;
  recurrentKernel: tf.LayerVariable;
  bias: tf.LayerVariable;
}

/**
 * SimpleRNN / LSTM / GRU over [x (B, T, D), tokens (B, T)] that skips padding (token 0): padded steps carry the
 * state, so with returnSequences=false the output is the state after the last real token. Bidirectional adds a
 * right-to-left pass and concatenates (width 2·H). Weights per direction (Keras layout, see recurrence.ts):
 * kernel (D, g·H) Glorot, recurrent kernel (H, g·H) orthogonal, bias (g·H) zeros (LSTM forget gate 1).
 */
export class MaskedRNN extends tf.layers.Layer {
  static className = 'MaskedRNN';
  readonly cell: RnnCell;
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  private directions: DirectionVariables[] = [];

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
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [xShape] = shapePair(inputShape, MaskedRNN.className);
    const dim = xShape[2];
    if (typeof dim !== 'number') throw new Error(`MaskedRNN needs a known last axis, got [${xShape}]`);
    const width = GATES[this.cell] * this.units;
    const prefixes = this.bidirectional ? ['forward_', 'backward_'] : [''];
    this.directions = prefixes.map((p) => ({
      kernel: this.addWeight(`${p}kernel`, [dim, width], 'float32', initializer('kernel')),
      recurrentKernel: this.addWeight(`${p}recurrent_kernel`, [this.units, width], 'float32', initializer('zeros')),
      bias: this.addWeight(`${p}bias`, [width], 'float32', initializer('zeros')),
    }));
    for (const d of this.directions) this.initialize(d, width);
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [[batch, seqLen]] = shapePair(inputShape, MaskedRNN.className);
    const width = this.bidirectional ? 2 * this.units : this.units;
    return this.returnSequences ? [batch ?? null, seqLen ?? null, width] : [batch ?? null, width];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, tokens] = pair(inputs, MaskedRNN.className);
      const keep = keepMask(tokens); // (B, T)
      const runs = this.directions.map((v, i) => {
        const w = { kernel: v.kernel.read(), recurrentKernel: v.recurrentKernel.read(), bias: v.bias.read() };
        const r = recurrence(this.cell, x, keep, w, this.units, i === 1);
        return this.returnSequences ? r.sequence : r.last; // (B, T, H) or (B, H)
      });
      return runs.length === 1 && runs[0] ? runs[0] : tf.concat(runs, -1); // (..., H) x 2 -> (..., 2H)
    });
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

  /** Orthogonal recurrent kernel (Saxe et al. 2014); LSTM starts with its forget gate open (bias 1, Keras's unit_forget_bias). */
  private initialize(d: DirectionVariables, width: number): void {
    const u = this.units;
    const values: tf.Tensor[] = [tf.tensor2d(orthogonalMatrix(u, width), [u, width])];
    d.recurrentKernel.write(values[0] ?? tf.scalar(NaN));
    if (this.cell === 'lstm') {
      values.push(tf.tensor1d(Array.from({ length: width }, (_, i) => (i >= u && i < 2 * u ? 1 : 0))));
      d.bias.write(values[1] ?? tf.scalar(NaN));
    }
    tf.dispose(values);
  }
}
