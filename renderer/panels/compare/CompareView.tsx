import { useRef } from 'react';
import { useAppStore } from '../../store';
import { openRunBundle } from '../../services/runBundle';
import { CompareChart } from './CompareChart';
import { errorText, useCompare } from './compareContext';
import { CompareTable } from './CompareTable';
import { RacePanel } from './RacePanel';
import { RunList } from './RunList';
import { SameText } from './SameText';
import { SamePrompt } from './SamePrompt';
import { useCompareRuns } from './useCompareRuns';

/** Runs side by side: pick runs (or race new ones) on the left; curves, numbers and answers on the right. */
export function CompareView() {
  const services = useCompare();
  const close = useAppStore((s) => s.closeCompare);
  const notify = useAppStore((s) => s.notify);
  const runs = useCompareRuns();
  const fileInput = useRef<HTMLInputElement>(null);

  const openBundle = async (file: File | undefined): Promise<void> => {
    if (!file || !services) return;
    try {
      notify('info', await openRunBundle(services, file.name, new Uint8Array(await file.arrayBuffer())));
    } catch (e) {
      notify('error', errorText(e));
    }
  };

  return (
    <div className="compare-screen" data-testid="compare-view">
      <header className="compare-head">
        <h2>Compare runs</h2>
        <span className="muted small">
          {runs.length < 2 ? 'Tick two or more runs, or race several graphs.' : `${runs.length} runs side by side`}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => fileInput.current?.click()} data-testid="open-run">
          Open run…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".wordloom"
          hidden
          data-testid="open-run-input"
          onChange={(e) => {
            void openBundle(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={close} title="Back to the editor" data-testid="compare-close">
          ✕ Close
        </button>
      </header>
      <div className="compare-body">
        <aside className="compare-side">
          <RunList runs={runs} />
          <RacePanel />
        </aside>
        <section className="compare-main">
          <CompareChart runs={runs} />
          <CompareTable runs={runs} />
          <div className="compare-answers">
            <SameText runs={runs} />
            <SamePrompt runs={runs} />
          </div>
        </section>
      </div>
    </div>
  );
}
