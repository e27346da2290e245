import { useMemo } from 'react';
import { useAppStore } from '../../store';
import { lineageOrder } from '../../lib/lineage';
import { parentOfRecord } from '../../lib/runRecord';
import { runLabel } from '../../lib/inspectedRun';
import { runColour } from './colours';
import type { CompareRun } from './compareData';

const STATUS: Record<string, string> = { preparing: 'preparing', training: 'training', error: 'failed' };

/** The project's runs (newest first) and any race run still training: tick to compare, Export… to save one. */
export function RunList({ runs }: { runs: readonly CompareRun[] }) {
  const records = useAppStore((s) => s.runs);
  const raceRuns = useAppStore((s) => s.raceRuns);
  const selected = useAppStore((s) => s.compareIds);
  const toggle = useAppStore((s) => s.toggleCompareRun);
  const openExport = useAppStore((s) => s.openExport);
  const items = useMemo(
    () =>
      lineageOrder([
        ...Object.values(raceRuns).map((r) => ({ id: r.id, name: r.name, status: r.status, isRecord: false })),
        ...[...records].reverse().map((r) => {
          const parent = parentOfRecord(r);
          return {
            id: r.id,
            name: r.name,
            status: 'done',
            isRecord: true,
            ...(parent && { parentId: parent.runId, parentName: parent.name, parentStep: parent.step }),
          };
        }),
      ]),
    [records, raceRuns],
  );
  return (
    <section className="compare-group" aria-label="Runs">
      <h3>Runs in this project</h3>
      {items.length === 0 && <p className="muted small">No runs yet: train a graph, or race several below.</p>}
      <ul className="run-list" data-testid="run-list">
        {items.map(({ item, depth }) => {
          const index = runs.findIndex((r) => r.id === item.id);
          return (
            <li
              key={item.id}
              className="run-item"
              data-testid="run-item"
              style={depth ? { paddingLeft: `${depth * 16}px` } : undefined}
            >
              <label title={item.name}>
                <input
                  type="checkbox"
                  checked={selected.includes(item.id)}
                  onChange={() => toggle(item.id)}
                  data-testid="run-check"
                />
                <span
                  className="run-swatch"
                  style={index >= 0 ? { background: runColour(runs[index]?.colour ?? index) } : undefined}
                  aria-hidden
                />
                <span className="run-item-name">
                  {depth > 0 && '↳ '}
                  {item.name}
                </span>
                {/* Never truncated: it tells apart runs whose names are cut to the same text. */}
                <span className="run-item-id muted" title={runLabel(item)}>
                  #{item.id.slice(-4)}
                </span>
              </label>
              {'parentId' in item && item.parentId !== undefined && (
                <span
                  className="run-lineage"
                  data-testid="run-lineage"
                  title={`Fine-tuned from ${item.parentName}, continuing its step ${item.parentStep}`}
                >
                  from {item.parentName} @ {item.parentStep}
                </span>
              )}
              {STATUS[item.status] && <span className={`run-badge ${item.status}`}>{STATUS[item.status]}</span>}
              {item.isRecord && (
                <button
                  type="button"
                  className="small-btn"
                  onClick={() => openExport(item.id)}
                  title="Export this run"
                  data-testid="run-export"
                >
                  Export…
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
