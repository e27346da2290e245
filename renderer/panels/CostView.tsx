import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { costCurve } from '../../core/shapes/cost-curve';
import { formatBytes, formatCount } from '../lib/format';
import { useAppStore } from '../store';
import { COST_SEQ_LENS, costSeries } from './costSeries';

const CHART_HEIGHT = 170;

/** Resolves a theme variable, since uPlot paints on a canvas and cannot read CSS variables itself. */
const cssVar = (el: Element, name: string): string => getComputedStyle(el).getPropertyValue(name).trim() || '#888';

function chartOptions(el: HTMLElement, width: number): uPlot.Options {
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
    size: 76,
  });
  return {
    width,
    height: CHART_HEIGHT,
    // The series are named in the panel heading; the hover legend would only repeat them below the chart.
    legend: { show: false },
    scales: { x: { time: false }, flops: { auto: true }, mem: { auto: true } },
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

  useEffect(() => {
    const el = host.current;
    if (!el || !hasData) return;
    const u = new uPlot(chartOptions(el, el.clientWidth || 600), data, el);
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
      {hasData ? (
        <div ref={host} className="cost-chart" data-testid="cost-chart" />
      ) : (
        <p className="muted">Wire a complete model without errors to see its cost curve.</p>
      )}
    </section>
  );
}
