/** One colour per compared run, in selection order: theme variables, so both themes stay readable. */
const RUN_COLOURS = [
  '--accent',
  '--cat-transformer',
  '--cat-recurrent',
  '--cat-embedding',
  '--cat-bag-of-words',
  '--cat-heads',
  '--cat-attention',
  '--cat-input',
] as const;

export const runColourVar = (index: number): string => RUN_COLOURS[index % RUN_COLOURS.length];
export const runColour = (index: number): string => `var(${runColourVar(index)})`;

/** Loss at which a token is painted fully red: about a uniform guess over ~150 symbols. */
export const SURPRISE_LOSS = 5;

/** Green (the model expected this token, loss near 0) to red (it was surprised, loss ≥ SURPRISE_LOSS). */
export function lossColour(loss: number | undefined): string | undefined {
  if (loss === undefined || !Number.isFinite(loss)) return undefined;
  const t = Math.max(0, Math.min(1, loss / SURPRISE_LOSS));
  return `hsl(${Math.round(120 * (1 - t))} 75% 45% / 0.4)`;
}
