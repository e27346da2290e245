/**
 * Fuzz settings shared by every property: a fixed seed (so `npm test` is repeatable) and a run count
 * that `npm run fuzz` raises with WORDLOOM_FUZZ_SCALE (e.g. 40 runs each property 40 times as often).
 */
export const FUZZ_SEED = Number(process.env.WORDLOOM_FUZZ_SEED ?? 20261201);
const SCALE = Number(process.env.WORDLOOM_FUZZ_SCALE ?? 1);

/** The runs of a property: `base` in `npm test`, `base × scale` under `npm run fuzz`. */
export const runs = (base: number): number => Math.max(1, Math.round(base * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1)));

/** Every property's run count, for the report at the end of `npm run fuzz`. */
export const counted = new Map<string, number>();
