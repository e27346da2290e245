import { useEffect, useRef } from 'react';
import { cssVar } from './UPlotChart';
import { drawHeatmap, heatmapLayout } from './heatmap';

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
  return (
    <canvas
      ref={ref}
      className={`heatmap${onClick ? ' thumb' : ''}${isSelected ? ' selected' : ''}`}
      style={{ width: layout.size, height: layout.size }}
      title={title}
      data-testid={testId}
      onClick={onClick}
      onMouseLeave={() => onHover?.(null)}
      onMouseMove={(e) => {
        if (!onHover) return;
        const y = e.nativeEvent.offsetY - layout.gutter;
        const q = Math.floor(y / layout.cell);
        onHover(y >= 0 && q < matrix.length ? q : null);
      }}
    />
  );
}
