import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { formatCount } from '../../lib/format';
import { useAppStore } from '../../store';
import { continuedCurves } from '../../lib/lineage';
import { liveRunFromRecord } from '../../store/runSlice';
import { lossChartData, speedChartData } from './chartData';
import { cssVar, UPlotChart } from './UPlotChart';
import { RunProgress } from './RunProgress';

const LOSS_HEIGHT = 240;
const SPEED_HEIGHT = 240;
const EMPTY: [] = [];

function lossOptions(log: boolean) {
  return (el: HTMLElement, width: number): uPlot.Options => {
    const text = cssVar(el, '--text-muted');
    const grid = cssVar(el, '--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    return {
      width,
      height: LOSS_HEIGHT,
      legend: { show: false },
      scales: { x: { time: false }, y: log ? { distr: 3 } : { auto: true } },
      axes: [
        { ...axis, label: 'step' },
        { ...axis, label: 'loss', size: 56 },
      ],
      series: [
        {},
        { label: 'train (raw)', stroke: cssVar(el, '--accent'), alpha: 0.25, width: 1 },
        { label: 'train', stroke: cssVar(el, '--accent'), width: 2 },
        {
          label: 'validation',
          stroke: cssVar(el, '--cat-transformer'),
          width: 2,
          spanGaps: true,
          points: { show: true, size: 6, fill: cssVar(el, '--cat-transformer') },
        },
      ],
    };
  };
}

function speedOptions(el: HTMLElement, width: number): uPlot.Options {
  const text = cssVar(el, '--text-muted');
  const grid = cssVar(el, '--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  return {
    width,
    height: SPEED_HEIGHT,
    legend: { show: false },
    scales: { x: { time: false }, tps: { auto: true }, lr: { auto: true } },
    axes: [
      { ...axis, label: 'step' },
      { ...axis, scale: 'tps', size: 58, values: (_u, v) => v.map(formatCount) },
      {
        ...axis,
        scale: 'lr',
        side: 1,
        size: 48,
        grid: { show: false },
        values: (_u, v) => v.map((x) => (x === 0 ? '0' : x.toExponential(0))),
      },
    ],
    series: [
      {},
      { label: 'tokens/s', scale: 'tps', stroke: cssVar(el, '--cat-recurrent'), width: 1.5 },
      { label: 'learning rate', scale: 'lr', stroke: cssVar(el, '--cat-embedding'), width: 1.5, dash: [5, 3] },
    ],
  };
}

const fmtLoss = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));

/** Live curves: train and validation loss (log scale, smoothing), tokens per second and the learning rate. */
export function LossCharts() {
  const ownSteps = useAppStore((s) => s.run?.steps ?? EMPTY);
  const ownEvals = useAppStore((s) => s.run?.evals ?? EMPTY);
  const parent = useAppStore((s) => s.run?.parent);
  const parentRecord = useAppStore((s) => (parent ? s.runs.find((r) => r.id === parent.runId) : undefined));
  const [isContinued, setContinued] = useState(false);
  const { steps, evals } = useMemo(
    () =>
      parent && parentRecord && isContinued
        ? continuedCurves(liveRunFromRecord(parentRecord), { steps: ownSteps, evals: ownEvals }, parent.step)
        : { steps: ownSteps, evals: ownEvals },
    [parent, parentRecord, isContinued, ownSteps, ownEvals],
  );
  const theme = useAppStore((s) => s.theme);
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const loss = useMemo(() => lossChartData(steps, evals, smoothing), [steps, evals, smoothing]);
  const speed = useMemo(() => speedChartData(steps), [steps]);
  const last = steps[steps.length - 1];
  return (
    <div className="loss-charts">
      <RunProgress />
      <div className="charts-row">
        <div className="chart-cell">
          <div className="chart-head">
            <span className="panel-title">Loss</span>
            <span className="key key-train">train {fmtLoss(last?.loss)}</span>
            <span className="key key-val">
              validation <span data-testid="val-first">{fmtLoss(evals[0]?.valLoss)}</span> →{' '}
              <span data-testid="val-last">{fmtLoss(evals[evals.length - 1]?.valLoss)}</span>
            </span>
            <span className="spacer" />
            {parent && parentRecord && (
              <label className="small" title={`Draw ${parent.name} first and this run from its step ${parent.step} on`}>
                <input
                  type="checkbox"
                  checked={isContinued}
                  onChange={(e) => setContinued(e.target.checked)}
                  data-testid="chart-continue"
                />{' '}
                after its parent
              </label>
            )}
            <label className="small">
              <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="chart-log" />{' '}
              log scale
            </label>
            <label className="small" title="Exponential moving average of the train loss">
              smoothing{' '}
              <input
                type="range"
                min={0}
                max={0.99}
                step={0.01}
                value={smoothing}
                onChange={(e) => setSmoothing(Number(e.target.value))}
                data-testid="chart-smoothing"
              />
            </label>
          </div>
          <UPlotChart
            options={lossOptions(log)}
            optionsKey={`${theme}:${log}`}
            data={loss}
            height={LOSS_HEIGHT}
            testId="loss-chart"
            points={steps.length}
          />
        </div>
        <div className="chart-cell">
          <div className="chart-head">
            <span className="key key-tps">tokens/s {last ? formatCount(last.tokensPerSec) : '—'}</span>
            <span className="key key-lr">learning rate {last ? last.lr.toExponential(2) : '—'}</span>
          </div>
          <UPlotChart
            options={speedOptions}
            optionsKey={theme}
            data={speed}
            height={SPEED_HEIGHT}
            testId="speed-chart"
            points={steps.length}
          />
        </div>
      </div>
    </div>
  );
}
