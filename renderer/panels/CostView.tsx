import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { costCurve } from '../../core/shapes/cost-curve';
import { formatBytes, formatCount } from '../lib/format';
import { FLOAT_BYTES } from '../lib/memory';
import { useAppStore } from '../store';
import { COST_SEQ_LENS, costSeries } from './costSeries';

const CHART_HEIGHT = 170;

/** Resolves a theme variable, since uPlot paints on a canvas and cannot read CSS variables itself. */
const cssVar = (el: Element, name: string): string => getComputedStyle(el).getPropertyValue(name).trim() || '#888';

/** What the chart needs besides data: where the model's own T is, and who hears about the hovered point. */
interface Marks {
  /** The model's T, drawn as a labelled vertical line (read at draw time, so it follows edits). */
  seqLen: () => number | undefined;
  onHover: (index: number | null) => void;
}

function chartOptions(el: HTMLElement, width: number, marks: Marks): uPlot.Options {
  const text = cssVar(el, '--text-muted');
  const grid = cssVar(el, '--border');
  const axis = (label: string, scale: string, side: 1 | 3, fmt: (v: number) => string): uPlot.Axis => ({
    label,
    scale,
    side,
    stroke: text,
    grid: { stroke: grid, width: 1, show: side === 3 },
    ticks: { stroke: grid },
    values: (_u, splits) => splits.map(fmt),
    // Wide enough for "1.23M" and "512.0 KB" with the label beside them (labels were clipped at 76).
    size: 86,
  });
  return {
    width,
    height: CHART_HEIGHT,
    // The series are named in the panel heading; the hover legend would only repeat them below the chart.
    legend: { show: false },
    scales: { x: { time: false }, flops: { auto: true }, mem: { auto: true } },
    cursor: { points: { size: 7 } },
    hooks: {
      setCursor: [(u) => marks.onHover(u.cursor.idx ?? null)],
      draw: [
        (u) => {
          const t = marks.seqLen();
          if (t === undefined) return;
          const x = u.valToPos(t, 'x', true);
          if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = text;
          ctx.setLineDash([3, 3]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillStyle = text;
          ctx.font = `${11 * devicePixelRatio}px sans-serif`;
          ctx.fillText(`this model: T = ${t}`, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
          ctx.restore();
        },
      ],
    },
    axes: [
      { label: 'Sequence length T', stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      axis('FLOPs / token', 'flops', 3, formatCount),
      axis('Memory', 'mem', 1, formatBytes),
    ],
    series: [
      { label: 'T' },
      {
        label: 'FLOPs / token',
        scale: 'flops',
        stroke: cssVar(el, '--accent'),
        width: 2,
        value: (_u, v) => (v == null ? '—' : formatCount(v)),
      },
      {
        label: 'Activation memory',
        scale: 'mem',
        stroke: cssVar(el, '--cat-transformer'),
        width: 2,
        dash: [6, 4],
        value: (_u, v) => (v == null ? '—' : formatBytes(v)),
      },
    ],
  };
}

/** How the model's cost grows with the window T: an LSTM's lines stay straight, attention's bend upwards. */
export function CostView() {
  const graph = useAppStore((s) => s.graph);
  const binding = useAppStore((s) => s.binding);
  const theme = useAppStore((s) => s.theme);
  const data = useMemo(() => costSeries(costCurve(graph, binding, COST_SEQ_LENS)), [graph, binding]);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const hasData = data[1].some((v) => v !== null);
  const seqLen = useAppStore((s) => s.analysis.seqLen);
  const totals = useAppStore((s) => s.analysis.totals);
  const isPartial = useAppStore((s) => s.analysis.diagnostics.some((d) => d.severity === 'error'));
  const [hover, setHover] = useState<number | null>(null);
  const seqLenRef = useRef(seqLen);
  seqLenRef.current = seqLen;

  useEffect(() => {
    const el = host.current;
    if (!el || !hasData) return;
    const marks: Marks = { seqLen: () => seqLenRef.current, onHover: setHover };
    const u = new uPlot(chartOptions(el, el.clientWidth || 600, marks), data, el);
    chart.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: CHART_HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
    // Rebuilt only on theme change (colours are baked into the canvas); new data goes through setData below.
  }, [theme, hasData]);

  useEffect(() => chart.current?.setData(data), [data]);
  // A new T moves the marker: redraw without new data.
  useEffect(() => chart.current?.redraw(false), [seqLen]);

  const at = hover ?? null;
  const readout =
    at !== null && data[0][at] !== undefined
      ? `T = ${data[0][at]}: ${data[1][at] == null ? '—' : formatCount(data[1][at])} FLOPs/token · ${data[2][at] == null ? '—' : formatBytes(data[2][at])} activations / example`
      : seqLen !== undefined && !isPartial
        ? `This model, T = ${seqLen}: ${formatCount(totals.flopsPerToken)} FLOPs/token · ${formatBytes(totals.activations * FLOAT_BYTES)} activations / example. Hover the chart for other T.`
        : 'Hover the chart to read the values at each T.';

  return (
    <section className="cost-view panel" data-testid="cost-view" aria-label="Cost as T grows">
      <div className="cost-view-head">
        <span className="panel-title">
          Cost as the window T grows: <span className="key key-flops">FLOPs / token</span> and{' '}
          <span className="key key-mem">activation memory / example</span>
        </span>
        <span className="muted small">
          Recurrent layers cost the same per token at any T (straight line); attention compares every pair of positions,
          so its cost per token grows with T and its memory with T² (the lines bend up).
        </span>
      </div>
      <p className="small cost-readout" data-testid="cost-readout">
        {readout}
      </p>
      {hasData ? (
        <div ref={host} className="cost-chart" data-testid="cost-chart" />
      ) : (
        <p className="muted">Wire a complete model without errors to see its cost curve.</p>
      )}
    </section>
  );
}
