import { useEffect, useRef, useState } from 'react';
import { cssVar } from './UPlotChart';
import { drawHeatmap, heatmapLayout, shade } from './heatmap';
import { showPiece } from './TokenChips';

interface Props {
  matrix: readonly (readonly number[])[];
  tokens: readonly string[];
  maxSize: number;
  labels: boolean;
  hover: number | null;
  dark: boolean;
  onHover?: (query: number | null) => void;
  onClick?: () => void;
  isSelected?: boolean;
  testId: string;
  title?: string;
}

/** One head's attention as a canvas heatmap: row = the token that looks, column = the token it looks at. */
export function AttentionHeatmap({
  isSelected,
  matrix,
  tokens,
  maxSize,
  labels,
  hover,
  dark,
  onHover,
  onClick,
  testId,
  title,
}: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const layout = heatmapLayout(matrix.length, maxSize, labels);
  // The cell under the pointer (the big map only): its value is read out below the map.
  const [cell, setCell] = useState<{ q: number; k: number } | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const layout = heatmapLayout(matrix.length, maxSize, labels);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = layout.size * dpr;
    canvas.height = layout.size * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawHeatmap(ctx, matrix, tokens, layout, { dark, hover, text: cssVar(canvas, '--text-muted') });
  }, [matrix, tokens, maxSize, labels, dark, hover]);
  const canvas = (
    <canvas
      ref={ref}
      className={`heatmap${onClick ? ' thumb' : ''}${isSelected ? ' selected' : ''}`}
      style={{ width: layout.size, height: layout.size }}
      title={title}
      data-testid={testId}
      onClick={onClick}
      onMouseLeave={() => {
        onHover?.(null);
        setCell(null);
      }}
      onMouseMove={(e) => {
        if (!onHover) return;
        const y = e.nativeEvent.offsetY - layout.gutter;
        const x = e.nativeEvent.offsetX - layout.gutter;
        const q = Math.floor(y / layout.cell);
        const k = Math.floor(x / layout.cell);
        const inside = y >= 0 && q < matrix.length;
        onHover(inside ? q : null);
        setCell(inside && x >= 0 && k < matrix.length ? { q, k } : null);
      }}
    />
  );
  if (!labels) return canvas;
  const value = cell ? matrix[cell.q]?.[cell.k] : undefined;
  return (
    <div className="heatmap-with-scale">
      <div className="heatmap-scale small" aria-label="Colour scale">
        <span>0</span>
        <span
          className="heatmap-scale-bar"
          style={{
            background: `linear-gradient(to right, ${[0, 0.05, 0.15, 0.3, 0.5, 0.75, 1].map((w) => shade(w, dark)).join(', ')})`,
          }}
        />
        <span>1</span>
        <span className="muted"> of each row’s attention</span>
      </div>
      <p className="small heatmap-readout" data-testid="attention-readout">
        {cell && value !== undefined ? (
          <>
            <code>{showPiece(tokens[cell.q] ?? '')}</code> (row {cell.q + 1}) looks at{' '}
            <code>{showPiece(tokens[cell.k] ?? '')}</code> (column {cell.k + 1}): <strong>{value.toFixed(3)}</strong>
          </>
        ) : (
          <span className="muted">Hover a cell for its value.</span>
        )}
      </p>
      {canvas}
    </div>
  );
}
