import { useState, type ReactElement } from 'react';
import { useAppStore } from '../../store';
import { DOCK_TABS, type DockTab } from '../../store/insightSlice';
import { AskPanel } from './AskPanel';
import { AttentionPanel } from './AttentionPanel';
import { GeneratePanel } from './GeneratePanel';
import { PredictionsPanel } from './PredictionsPanel';
import { TrainingPanel } from './TrainingPanel';

const LABELS: Record<DockTab, string> = {
  train: 'Train',
  predictions: 'Predictions',
  attention: 'Attention',
  generate: 'Generate',
  ask: 'Ask',
};

const PANELS: Record<DockTab, ReactElement> = {
  train: <TrainingPanel />,
  predictions: <PredictionsPanel />,
  attention: <AttentionPanel />,
  generate: <GeneratePanel />,
  ask: <AskPanel />,
};

/**
 * The dock under the canvas: train a model, then look inside it. Clicking the open tab folds the dock away.
 * A tab stays mounted once visited (hidden when not shown): switching tabs during training is a class change,
 * not a rebuild of charts, so the UI thread stays free.
 */
export function TrainDock() {
  const tab = useAppStore((s) => s.dockTab);
  const [visited, setVisited] = useState<ReadonlySet<DockTab>>(() => new Set([tab]));
  if (!visited.has(tab)) setVisited(new Set([...visited, tab]));
  const isOpen = useAppStore((s) => s.isDockOpen);
  const showDockTab = useAppStore((s) => s.showDockTab);
  const toggleDock = useAppStore((s) => s.toggleDock);
  const status = useAppStore((s) => s.run?.status);
  return (
    <section className={`train-dock panel${isOpen ? ' open' : ''}`} data-testid="train-dock" aria-label="Training">
      <div className="dock-tabs" role="tablist">
        {DOCK_TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={isOpen && tab === t}
            className={isOpen && tab === t ? 'dock-tab active' : 'dock-tab'}
            onClick={() => (isOpen && tab === t ? toggleDock() : showDockTab(t))}
            data-testid={`dock-tab-${t}`}
          >
            {LABELS[t]}
          </button>
        ))}
        <span className="spacer" />
        {status && <span className={`run-badge ${status}`}>{status}</span>}
        <button
          type="button"
          className="dock-fold"
          onClick={toggleDock}
          title={isOpen ? 'Hide the dock' : 'Show the dock'}
          aria-label={isOpen ? 'Hide the training dock' : 'Show the training dock'}
          aria-expanded={isOpen}
        >
          {isOpen ? '▾' : '▴'}
        </button>
      </div>
      <div className="dock-body" role="tabpanel" hidden={!isOpen}>
        {DOCK_TABS.filter((t) => visited.has(t)).map((t) => (
          <div key={t} className="dock-page" hidden={t !== tab}>
            {PANELS[t]}
          </div>
        ))}
      </div>
    </section>
  );
}
