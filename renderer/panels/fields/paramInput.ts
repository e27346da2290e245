import type { ParamValue } from '../../../core/graph/model';

/**
 * What a number field stores for the text typed into it: a number when the text reads as one (even out of
 * range or fractional for an int, so inference flags it), otherwise the text itself. Never clamped.
 */
export function parseNumberInput(text: string): ParamValue {
  const t = text.trim();
  if (t === '') return text;
  const n = Number(t);
  return Number.isFinite(n) ? n : text;
}

/** The text a field shows for a stored value. */
export const showValue = (value: ParamValue | undefined): string => (value === undefined ? '' : String(value));
