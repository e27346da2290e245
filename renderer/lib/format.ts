/** Human numbers for the editor: 1234567 → "1.23M", bytes → "4.7 MB". */

const UNITS = ['', 'K', 'M', 'G', 'T', 'P'];

/** A count with a metric suffix and three significant digits. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1000) return String(Math.round(n));
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toPrecision(3)}${UNITS[i]}`;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in powers of 1024, one decimal. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** A shape as the canvas prints it: "[64, 128]". */
export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
