/** Colours for compared runs: theme variables, so both themes stay readable. */
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

/** FNV-1a of a run id: the same run gets the same colour on every visit and after a reload. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A colour index per run that stays with the run (from its id), moved to the next free colour only when two
 * runs of the selection would share one, so the same runs keep their colours across visits.
 */
export function stableColours(ids: readonly string[]): number[] {
  const used = new Set<number>();
  return ids.map((id) => {
    let c = hash(id) % RUN_COLOURS.length;
    for (let k = 0; k < RUN_COLOURS.length && used.has(c); k++) c = (c + 1) % RUN_COLOURS.length;
    used.add(c);
    return c;
  });
}

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
