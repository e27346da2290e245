import type { DataPreview } from '../../../core/data/preview';
import { formatCount } from '../../lib/format';

const TASK_TEXT: Record<string, string> = {
  'next-token': 'next-token text',
  classify: 'classification (text → label)',
  tag: 'tagging (a tag per token)',
  'prompt-completion': 'prompt → completion',
};

/** What the user's file holds: task, size, labels with counts, a few rows, and what to watch out for. */
export function DataPreviewView({ preview }: { preview: DataPreview }) {
  if (preview.error)
    return (
      <div className="data-preview" data-testid="data-preview">
        <p className="train-warning small" role="alert" data-testid="data-error">
          {preview.error} Training is off until you choose text data.
        </p>
      </div>
    );
  const total = preview.labels.reduce((n, l) => n + l.count, 0);
  return (
    <div className="data-preview small" data-testid="data-preview">
      <p data-testid="data-summary">
        <strong>{TASK_TEXT[preview.task ?? ''] ?? preview.task}</strong> · {formatCount(preview.rows)}{' '}
        {preview.task === 'next-token' ? 'line' : 'row'}
        {preview.rows === 1 ? '' : 's'} · {formatCount(preview.words)} words · {formatCount(preview.characters)}{' '}
        characters{preview.partial ? ' (rows, labels and warnings from the first 2 MB)' : ''}
      </p>
      {preview.labels.length > 0 && (
        <ul className="data-labels" aria-label={preview.task === 'tag' ? 'Tags' : 'Labels'} data-testid="data-labels">
          {preview.labels.slice(0, 12).map((l) => (
            <li key={l.label} data-testid="data-label">
              <span className="data-label-name">{l.label}</span>
              <span className="data-label-bar" style={{ width: `${Math.max(2, (60 * l.count) / (preview.labels[0]?.count ?? 1))}px` }} />
              <span className="muted">
                {l.count.toLocaleString('en-US')} ({Math.round((100 * l.count) / total)}%)
              </span>
            </li>
          ))}
          {preview.labels.length > 12 && <li className="muted">and {preview.labels.length - 12} more</li>}
        </ul>
      )}
      <ol className="data-rows" aria-label="First rows" data-testid="data-rows">
        {preview.sample.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ol>
      {preview.warnings.map((w) => (
        <p key={w} className="train-warning" data-testid="data-warning">
          {w}
        </p>
      ))}
    </div>
  );
}
