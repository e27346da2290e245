import type { TrainConfig } from './protocol';

/** Learning rate at `step` (0-based): linear warmup, then cosine decay to learningRate × minLrRatio. */
export function learningRateAt(step: number, c: TrainConfig): number {
  const peak = c.learningRate;
  const warm = Math.min(c.warmupSteps, Math.max(0, c.steps - 1));
  if (step < warm) return (peak * (step + 1)) / (warm + 1);
  const span = Math.max(1, c.steps - warm);
  const progress = Math.min(1, (step - warm) / span);
  const min = peak * c.minLrRatio;
  return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
}
