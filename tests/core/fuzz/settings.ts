/**
 * Fuzz settings shared by every property: a fixed seed (so `npm test` is repeatable) and a run count
 * that `npm run fuzz` raises with WORDLOOM_FUZZ_SCALE (10 runs each property ten times as often).
 */
export const FUZZ_SEED = Number(process.env.WORDLOOM_FUZZ_SEED ?? 20261201);
const raw = Number(process.env.WORDLOOM_FUZZ_SCALE ?? 1);
const SCALE = Number.isFinite(raw) && raw > 0 ? raw : 1;

/** The runs of a property: `base` in `npm test`, `base × scale` under `npm run fuzz` (which logs each count). */
export function runs(base: number, label?: string): number {
  const n = Math.max(1, Math.round(base * SCALE));
  if (SCALE !== 1 && label) console.info(`[fuzz] ${label}: ${n} cases`);
  return n;
}
