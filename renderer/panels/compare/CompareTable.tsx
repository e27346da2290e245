import { useMemo } from 'react';
import { formatCount } from '../../lib/format';
import { formatDuration } from '../../lib/trainSetup';
import { runColour } from './colours';
import { compareRow, type CompareRow, type CompareRun } from './compareData';

const dash = '—';
const count = (n: number | undefined | null): string => (n === undefined || n === null ? dash : formatCount(n));
const metricText = (m: CompareRow['metric']): string =>
  !m ? dash : m.kind === 'accuracy' ? `${(100 * m.value).toFixed(1)}% acc` : `${m.value.toFixed(2)} ppl`;

/** The numbers of `wordloom compare`, one row per run; the best validation loss is marked. */
export function CompareTable({ runs }: { runs: readonly CompareRun[] }) {
  const rows = useMemo(() => runs.map(compareRow), [runs]);
  const best = Math.min(...rows.map((r) => r.bestValLoss ?? Infinity));
  return (
    <section className="compare-group" aria-label="Comparison table">
      <h3>Numbers</h3>
      <div className="table-scroll">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Architecture</th>
              <th className="num">Params</th>
              <th className="num" title="Forward FLOPs per token">
                FLOPs/token
              </th>
              <th className="num" title="Median training speed">
                Tokens/s
              </th>
              <th>Backend</th>
              <th className="num">Best val loss</th>
              <th className="num" title="Perplexity for next-token models, accuracy for classifiers and taggers">
                Ppl / acc
              </th>
              <th className="num">Time</th>
              <th className="num">Steps</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id} data-testid="compare-row" data-status={r.status}>
                <td className="run-cell" title={r.name}>
                  <span className="run-swatch" style={{ background: runColour(runs[i]?.colour ?? i) }} aria-hidden />{' '}
                  {runs[i]?.label ?? r.name}
                  {r.status !== 'done' && <span className={`run-badge ${r.status}`}>{r.status}</span>}
                </td>
                <td className="arch-cell" title={r.architecture}>
                  {r.architecture}
                </td>
                <td className="num">{count(r.params)}</td>
                <td className="num">{count(r.flopsPerToken)}</td>
                <td className="num">{count(r.tokensPerSec)}</td>
                <td>{r.backend ?? dash}</td>
                <td className={`num${r.bestValLoss === best ? ' best' : ''}`} data-testid="best-val">
                  {r.bestValLoss === null ? dash : r.bestValLoss.toFixed(3)}
                </td>
                <td className="num">{metricText(r.metric)}</td>
                <td className="num">{r.seconds > 0 ? formatDuration(r.seconds) : dash}</td>
                <td className="num">{r.steps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
