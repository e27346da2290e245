import { UserError } from './errors';

/** Plain decimal: digits with an optional sign, fraction and exponent; no hex, no spaces, no Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Whole numbers are written as digits only ("16", not "0x10", "1e3" or "16.0"). */
const WHOLE = /^\d+$/;

/** A numeric flag value, checked: one sentence naming the flag when it is not a number in range. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  o: { int?: boolean; min?: number; max?: number; fallback: number },
): number {
  if (value === undefined) return o.fallback;
  const kind = o.int ? 'a whole number' : 'a number';
  const shown = JSON.stringify(value);
  if (!(o.int ? WHOLE : DECIMAL).test(value)) throw new UserError(`--${flag} must be ${kind}, got ${shown}.`);
  const n = Number(value);
  if (!Number.isFinite(n) || (o.int && !Number.isSafeInteger(n)))
    throw new UserError(`--${flag} must be ${kind} of sensible size, got ${shown}.`);
  if (o.min !== undefined && n < o.min) throw new UserError(`--${flag} must be at least ${o.min}, got ${value}.`);
  if (o.max !== undefined && n > o.max) throw new UserError(`--${flag} must be at most ${o.max}, got ${value}.`);
  return n;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A size such as `512M`, `16G` or `1.5T` (powers of 1024; a bare number is bytes) for --memory. */
export function sizeFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)B?$/i.exec(value);
  const bytes = m ? Number(m[1]) * (UNITS[m[2].toUpperCase()] ?? NaN) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw new UserError(`--${flag} must be a size such as 512M, 16G or 1.5T, got ${JSON.stringify(value)}.`);
  return bytes;
}
