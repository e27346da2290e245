import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** Builds the options from the host element (for theme colours) and its width. */
  options: (el: HTMLElement, width: number) => uPlot.Options;
  /** The chart is rebuilt when this changes (theme, log scale); data alone goes through setData. */
  optionsKey: string;
  data: uPlot.AlignedData;
  height: number;
  testId: string;
  points: number;
}

/** A uPlot canvas that streams: new data is a cheap setData, never a rebuild. */
export function UPlotChart({ options, optionsKey, data, height, testId, points }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const u = new uPlot(options(el, el.clientWidth || 480), latest.current, el);
    chart.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
    // Rebuilt on optionsKey only (colours and scales are baked into the canvas); `options` is a fresh closure each render.
  }, [optionsKey, height]);

  useEffect(() => chart.current?.setData(data), [data]);

  return <div ref={host} className="uplot-host" data-testid={testId} data-points={points} />;
}

/** Resolves a theme variable: uPlot paints on a canvas and cannot read CSS variables itself. */
export const cssVar = (el: Element, name: string): string =>
  getComputedStyle(el).getPropertyValue(name).trim() || '#888';
