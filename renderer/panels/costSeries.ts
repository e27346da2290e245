import type { CostPoint } from '../../core/shapes/cost-curve';
import { FLOAT_BYTES } from '../lib/memory';

/** Window lengths the cost view plots: 16 … 1024, dense enough that a straight line looks straight. */
export const COST_SEQ_LENS: readonly number[] = [16, 32, 64, 128, 192, 256, 384, 512, 640, 768, 896, 1024];

/** uPlot's columns: T, FLOPs per token, activation bytes per example (null where the graph fails at that T). */
export function costSeries(points: readonly CostPoint[]): [number[], (number | null)[], (number | null)[]] {
  return [
    points.map((p) => p.seqLen),
    points.map((p) => (p.ok ? p.totals.flopsPerToken : null)),
    points.map((p) => (p.ok ? p.totals.activations * FLOAT_BYTES : null)),
  ];
}
