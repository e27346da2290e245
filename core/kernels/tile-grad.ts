import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of Tile as one reshape and one sum. tf.js 4.22's own (gradients/Tile_grad.js) adds one slice of dy
 * per repetition: tf.layers' LayerNormalization tiles its gamma and beta to (B, T, D) and its moments to D, so the
 * Mini GPT's final LayerNorm alone cost 1,792 Slice and as many Add kernel calls per step (~40% of its kernel time
 * on wasm, measured with tf.profile). Tiling (…, s, …) by r makes axis pairs (r, s) in dy; the gradient sums the r's.
 * Adjacent axes of the same kind are merged first, so the usual cases are a rank-2 sum on the fast paths.
 */
export function tileGradient(dy: tf.Tensor, xShape: number[], reps: number[]): tf.Tensor {
  // Each axis becomes up to two factors: the repetition (summed) and the original size (kept), outer first.
  const factors: { size: number; sum: boolean }[] = [];
  const push = (size: number, sum: boolean): void => {
    if (size === 1) return;
    const last = factors[factors.length - 1];
    if (last !== undefined && last.sum === sum) last.size *= size;
    else factors.push({ size, sum });
  };
  xShape.forEach((size, axis) => {
    push(reps[axis] ?? 1, true);
    push(size, false);
  });
  const axes = factors.flatMap((f, i) => (f.sum ? [i] : []));
  if (axes.length === 0) return tf.reshape(dy, xShape);
  const summed = tf.sum(
    tf.reshape(
      dy,
      factors.map((f) => f.size),
    ),
    axes,
  );
  return tf.reshape(summed, xShape);
}

let registered = false;

/** Replaces tf.js's Tile gradient (backend independent; once per process). */
export function registerTileGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { reps } = attrs as unknown as { reps: number[] };
      return { x: () => tileGradient(Array.isArray(dy) ? dy[0] : dy, x.shape, reps) };
    },
  });
}
