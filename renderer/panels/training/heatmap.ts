/** Drawing an attention matrix [query][key] on a 2D canvas: pure over a context, so it is cheap to call per hover. */

export interface HeatmapLayout {
  cell: number;
  /** Room for token labels on the left (queries) and on top (keys). */
  gutter: number;
  size: number;
}

export function heatmapLayout(n: number, maxSize: number, labels: boolean): HeatmapLayout {
  const gutter = labels ? 52 : 0;
  const cell = Math.max(2, Math.min(34, Math.floor((maxSize - gutter) / Math.max(1, n))));
  return { cell, gutter, size: gutter + cell * n };
}

/** Weight → a colour from the panel background to the accent (sqrt: small weights stay visible). */
export const shade = (w: number, dark: boolean): string => {
  const t = Math.sqrt(Math.max(0, Math.min(1, w)));
  const l = dark ? 14 + 56 * t : 97 - 55 * t;
  return `hsl(222 75% ${l}%)`;
};

export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  matrix: readonly (readonly number[])[],
  tokens: readonly string[],
  layout: HeatmapLayout,
  opts: { dark: boolean; hover: number | null; text: string },
): void {
  const { cell, gutter, size } = layout;
  ctx.clearRect(0, 0, size, size);
  matrix.forEach((row, q) =>
    row.forEach((w, k) => {
      ctx.fillStyle = shade(w, opts.dark);
      ctx.fillRect(gutter + k * cell, gutter + q * cell, cell, cell);
    }),
  );
  if (gutter > 0) {
    ctx.fillStyle = opts.text;
    // Labels stay readable (at least 10 px) even when cells are smaller; they are then drawn for every other token.
    ctx.font = `${Math.max(10, Math.min(13, cell))}px ui-monospace, monospace`;
    ctx.textBaseline = 'middle';
    const every = cell >= 10 ? 1 : Math.ceil(10 / cell);
    tokens.forEach((t, i) => {
      if (i % every !== 0) return;
      const label = t.replace(/ /g, '␣').replace(/\n/g, '↵').slice(0, 4);
      ctx.textAlign = 'right';
      ctx.fillText(label, gutter - 4, gutter + (i + 0.5) * cell);
      ctx.save();
      ctx.translate(gutter + (i + 0.5) * cell, gutter - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.fillText(label, 0, 0);
      ctx.restore();
    });
  }
  if (opts.hover !== null && opts.hover < matrix.length) {
    ctx.strokeStyle = '#e0663a';
    ctx.lineWidth = 2;
    ctx.strokeRect(gutter + 1, gutter + opts.hover * cell + 1, matrix.length * cell - 2, cell - 2);
  }
}
