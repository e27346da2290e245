import * as tf from '@tensorflow/tfjs';

/** Token ids (B, T) as an int32 tensor. */
export const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');

/** The one output of `layer.apply` on symbolic inputs. */
export function sym(applied: ReturnType<tf.layers.Layer['apply']>): tf.SymbolicTensor {
  const first = Array.isArray(applied) ? applied[0] : applied;
  if (!(first instanceof tf.SymbolicTensor)) throw new Error('expected a symbolic tensor');
  return first;
}

/** All outputs of `layer.apply` on symbolic inputs. */
export function syms(applied: ReturnType<tf.layers.Layer['apply']>): tf.SymbolicTensor[] {
  const list = Array.isArray(applied) ? applied : [applied];
  return list.map((t) => {
    if (!(t instanceof tf.SymbolicTensor)) throw new Error('expected symbolic tensors');
    return t;
  });
}

/** Runs a model with one output on token ids. */
export function run(model: tf.LayersModel, tokens: tf.Tensor): tf.Tensor {
  const y = model.predict(tokens);
  if (Array.isArray(y)) {
    const first = y[0];
    if (!first) throw new Error('model has no outputs');
    return first;
  }
  return y;
}

/** Nested JS array of a tensor's values, for toBeCloseTo-style comparisons. */
export const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

export const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? Infinity);

/** Saves to memory and loads back (the way the app exports), so custom layers must be registered. */
export async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('nothing was saved');
  return tf.loadLayersModel(tf.io.fromMemory(saved));
}
