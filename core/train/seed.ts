import { mulberry32 } from '../data/rng';

export { mulberry32 };

/**
 * Runs `fn` with Math.random seeded. tf.js initializers draw their own seeds from Math.random
 * when none is given, so this is what makes a model's initial weights reproducible.
 */
export function withSeededRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
