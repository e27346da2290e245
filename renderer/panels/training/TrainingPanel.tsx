import { useAppStore } from '../../store';
import { ClassifierMetrics } from './ClassifierMetrics';
import { DatasetPicker } from './DatasetPicker';
import { FineTuneBar } from './FineTuneBar';
import { HyperParams } from './HyperParams';
import { LossCharts } from './LossCharts';
import { RunControls } from './RunControls';
import { TokenizerPicker } from './TokenizerPicker';

/** The Train tab: what to train on and how (left), and the run as it goes (right). */
export function TrainingPanel() {
  const isFineTuning = useAppStore((s) => s.fineTune !== null);
  return (
    <div className="training-panel" data-testid="training-panel">
      <div className="train-setup">
        <DatasetPicker />
        {!isFineTuning && <TokenizerPicker />}
        <HyperParams />
        <RunControls />
        <FineTuneBar />
      </div>
      <div className="train-live">
        <LossCharts />
        <ClassifierMetrics />
      </div>
    </div>
  );
}
