import { perClassAccuracy } from '../../lib/classMetrics';
import { useAppStore } from '../../store';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');

/**
 * A classifier's or tagger's validation accuracy as it trains: overall, per class, and the confusion matrix
 * (rows: the true class, columns: what the model said), as Teachable Machine shows them.
 */
export function ClassifierMetrics() {
  const task = useAppStore((s) => s.run?.task);
  const labels = useAppStore((s) => s.run?.labels);
  const confusion = useAppStore((s) => s.run?.confusion);
  const accuracy = useAppStore((s) => s.run?.evals.at(-1)?.valAccuracy);
  if ((task !== 'classify' && task !== 'tag') || !labels) return null;
  if (!confusion)
    return (
      <p className="muted small" data-testid="class-metrics">
        Accuracy per class appears at the first evaluation.
      </p>
    );
  const { counts, step } = confusion;
  const perClass = perClassAccuracy(counts);
  const max = Math.max(1, ...counts.flat());
  const names = counts.map((_, i) => labels[i] ?? String(i));
  return (
    <section className="class-metrics small" data-testid="class-metrics" aria-label="Accuracy per class">
      <div className="chart-head">
        <span className="panel-title">Validation accuracy</span>
        <strong data-testid="val-accuracy">{pct(accuracy ?? NaN)}</strong>
        <span className="muted">at step {step}</span>
      </div>
      <div className="class-metrics-body">
        <table className="per-class" data-testid="per-class">
          <thead>
            <tr>
              <th>{task === 'tag' ? 'tag' : 'class'}</th>
              <th>accuracy</th>
              <th>examples</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name, i) => (
              <tr key={name} data-testid="per-class-row">
                <td>{name}</td>
                <td>{pct(perClass[i] ?? NaN)}</td>
                <td className="muted">{Math.round((counts[i] ?? []).reduce((a, b) => a + b, 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {names.length <= 12 && (
          <table className="confusion" data-testid="confusion" aria-label="Confusion matrix: rows true, columns predicted">
            <thead>
              <tr>
                <th className="muted">true ╲ said</th>
                {names.map((n) => (
                  <th key={n}>{n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {counts.map((row, i) => (
                <tr key={i}>
                  <th>{names[i]}</th>
                  {row.map((c, j) => (
                    <td
                      key={j}
                      className={i === j ? 'diag' : ''}
                      style={{ background: `hsl(${i === j ? 130 : 0} 60% 50% / ${(0.65 * c) / max})` }}
                      title={`${Math.round(c)} ${names[i]} example${c === 1 ? '' : 's'} predicted ${names[j]}`}
                    >
                      {Math.round(c)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
