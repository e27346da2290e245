import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface TiedEmbeddingArgs extends LayerArgs {
  /** V: vocabulary size including the padding id 0. */
  inputDim: number;
  /** D: width of each token vector. */
  outputDim: number;
}

/**
 * An embedding matrix E (V, D) used twice, so a language model can tie its input and output:
 * applied to token ids (B, T) it looks rows up → (B, T, D); applied to a sequence (B, T, D)
 * it projects onto the vocabulary with Eᵀ → (B, T, V) logits (no bias, as in GPT-2).
 * tf.js serializes the two applications as one shared layer, so the tie survives save and load.
 */
export class TiedEmbedding extends tf.layers.Layer {
  static readonly className = 'TiedEmbedding';
  readonly inputDim: number;
  readonly outputDim: number;
  private embeddings: tf.LayerVariable | null = null;

  constructor(args: TiedEmbeddingArgs) {
    super(args);
    for (const [k, v] of [
      ['inputDim', args.inputDim],
      ['outputDim', args.outputDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`TiedEmbedding: ${k} must be a positive whole number, got ${v}`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
  }

  override build(): void {
    const init = tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 });
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32', init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = firstShape(inputShape);
    if (s.length === 2) return [...s, this.outputDim]; // ids (B, T) → (B, T, D)
    if (s.length === 3 && s[2] === this.outputDim) return [s[0], s[1], this.inputDim]; // (B, T, D) → (B, T, V)
    throw new Error(
      `TiedEmbedding "${this.name}": expected ids (B, T) or a sequence (B, T, ${this.outputDim}), got (${s.join(', ')})`,
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const e = this.weightsOrThrow().read(); // (V, D)
      if (x.rank === 2) return tf.gather(e, tf.cast(x, 'int32')); // (B, T) → (B, T, D)
      const [b, t, d] = x.shape; // (B, T, D)
      const flat = tf.reshape(x, [b * t, d]); // (B·T, D)
      const logits = tf.matMul(flat, e, false, true); // (B·T, V)
      return tf.reshape(logits, [b, t, this.inputDim]); // (B, T, V)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim };
  }

  private weightsOrThrow(): tf.LayerVariable {
    if (!this.embeddings) throw new Error(`TiedEmbedding "${this.name}" was called before it was built`);
    return this.embeddings;
  }
}

function firstShape(s: tf.Shape | tf.Shape[]): tf.Shape {
  const dims: tf.Shape = [];
  for (const d of s) {
    if (Array.isArray(d)) return d; // a list of shapes: the first one
    dims.push(d);
  }
  return dims;
}

let registered = false;
/** Make `TiedEmbedding` loadable from saved models; safe to call many times. */
export function registerTiedEmbedding(): void {
  if (registered) return;
  tf.serialization.registerClass(TiedEmbedding);
  registered = true;
}
