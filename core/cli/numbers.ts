import { UserError } from './errors';

/** A numeric flag value, checked: one sentence naming the flag when it is not a number in range. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  o: { int?: boolean; min?: number; max?: number; fallback: number },
): number {
  if (value === undefined) return o.fallback;
  const n = Number(value);
  const kind = o.int ? 'a whole number' : 'a number';
  if (!Number.isFinite(n) || (o.int && !Number.isInteger(n)))
    throw new UserError(`--${flag} must be ${kind}, got "${value}".`);
  if (o.min !== undefined && n < o.min) throw new UserError(`--${flag} must be at least ${o.min}, got ${value}.`);
  if (o.max !== undefined && n > o.max) throw new UserError(`--${flag} must be at most ${o.max}, got ${value}.`);
  return n;
}
