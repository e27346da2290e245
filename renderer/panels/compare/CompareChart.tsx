import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { formatCount } from '../../lib/format';
import { useAppStore } from '../../store';
import { COMPARE_AXES, type CompareAxis } from '../../store/compareSlice';
import { cssVar, UPlotChart } from '../training/UPlotChart';
import { runColour, runColourVar } from './colours';
import { compareSeries, type CompareRun, type SeriesInfo } from './compareData';

const HEIGHT = 230;
const WHOLE_INCREMENTS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();
const AXIS_LABEL: Record<CompareAxis, string> = { step: 'step', time: 'seconds', tokens: 'tokens seen' };
const AXIS_BUTTON: Record<CompareAxis, string> = { step: 'Steps', time: 'Time', tokens: 'Tokens' };

function chartOptions(
  series: readonly SeriesInfo[],
  names: readonly string[],
  colours: readonly number[],
  axis: CompareAxis,
  log: boolean,
) {
  return (el: HTMLElement, width: number): uPlot.Options => {
    const text = cssVar(el, '--text-muted');
    const grid = cssVar(el, '--border');
    const style = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    return {
      width,
      height: HEIGHT,
      legend: { show: false },
      scales: { x: { time: false }, y: log ? { distr: 3 } : { auto: true } },
      axes: [
        {
          ...style,
          label: AXIS_LABEL[axis],
          // Steps and tokens are counts: whole-number ticks only.
          ...(axis === 'time' ? {} : { incrs: WHOLE_INCREMENTS }),
          values: (_u, v) => v.map((x) => (axis === 'tokens' ? formatCount(x) : String(x))),
        },
        { ...style, label: 'loss', size: 56 },
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series => {
          const colour = cssVar(el, runColourVar(colours[s.run] ?? s.run));
          return s.kind === 'train'
            ? { label: `${names[s.run]} train`, stroke: colour, width: 2, spanGaps: true }
            : {
                label: `${names[s.run]} validation`,
                stroke: colour,
                paths: () => null,
                points: { show: true, size: 8, fill: colour, stroke: cssVar(el, '--bg-panel') },
              };
        }),
      ],
    };
  };
}

/** Below this many steps each, curves of different architectures still cross: too few to rank them. */
export const SHORT_BUDGET_STEPS = 200;

/** Two or more finished runs, none of them past SHORT_BUDGET_STEPS. */
export const isShortBudget = (runs: readonly CompareRun[]): boolean =>
  runs.length >= 2 && runs.every((r) => r.steps.length > 0 && r.steps.length < SHORT_BUDGET_STEPS);

/** Every compared run's loss on one chart, against steps, wall-clock time or tokens seen; dots are validation. */
export function CompareChart({ runs }: { runs: readonly CompareRun[] }) {
  const axis = useAppStore((s) => s.compareAxis);
  const setAxis = useAppStore((s) => s.setCompareAxis);
  const theme = useAppStore((s) => s.theme);
  const [log, setLog] = useState(false);
  const { data, series } = useMemo(() => compareSeries(runs, axis, 0.6), [runs, axis]);
  const names = runs.map((r) => r.label ?? r.name);
  const colours = runs.map((r, i) => r.colour ?? i);
  const key = `${theme}:${axis}:${log}:${runs.map((r) => r.id).join(',')}`;
  return (
    <section className="compare-group compare-chart" aria-label="Loss curves">
      <div className="chart-head">
        <h3>Loss</h3>
        <div className="segmented" role="group" aria-label="x axis">
          {COMPARE_AXES.map((a) => (
            <button
              key={a}
              type="button"
              className={a === axis ? 'on' : ''}
              aria-pressed={a === axis}
              onClick={() => setAxis(a)}
              data-testid={`compare-axis-${a}`}
            >
              {AXIS_BUTTON[a]}
            </button>
          ))}
        </div>
        <label className="small">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
        </label>
        <span className="muted small">lines: train (smoothed) · dots: validation</span>
      </div>
      {isShortBudget(runs) && (
        <p className="train-warning small" data-testid="short-budget">
          {Math.max(...runs.map((r) => r.steps.length))} steps or fewer each: this early, curves cross and reorder, so
          they cannot rank architectures yet. Race a few hundred steps (and compare validation loss) before choosing.
        </p>
      )}
      <div className="compare-legend" data-testid="compare-legend">
        {runs.map((r, i) => (
          <span key={r.id} className="legend-item" data-testid="compare-curve" data-points={r.steps.length}>
            <span className="run-swatch" style={{ background: runColour(colours[i] ?? i) }} aria-hidden /> {names[i]}
          </span>
        ))}
      </div>
      <UPlotChart
        options={chartOptions(series, names, colours, axis, log)}
        optionsKey={key}
        data={data}
        height={HEIGHT}
        testId="compare-chart"
        points={runs.length}
      />
    </section>
  );
}
