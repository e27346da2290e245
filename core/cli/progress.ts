import type { TrainEvent } from '../train/protocol';

/** A one-line progress bar for a terminal: step, loss, validation, speed and ETA. */
export function progressLine(
  e: Extract<TrainEvent, { event: 'step' }>,
  total: number,
  valLoss: number | undefined,
): string {
  const width = 24;
  const done = Math.round((e.step / total) * width);
  const bar = '#'.repeat(done) + '.'.repeat(width - done);
  const eta = e.step > 0 ? (e.elapsed / e.step) * (total - e.step) : 0;
  const val = valLoss === undefined ? '' : `  val ${valLoss.toFixed(3)}`;
  return `\r[${bar}] ${e.step}/${total}  loss ${e.loss.toFixed(3)}${val}  ${Math.round(e.tokensPerSec)} tok/s  ETA ${formatSeconds(eta)} `;
}

export const formatSeconds = (s: number): string =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
