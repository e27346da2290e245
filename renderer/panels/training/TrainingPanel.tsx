import { DatasetPicker } from './DatasetPicker';
import { HyperParams } from './HyperParams';
import { LossCharts } from './LossCharts';
import { RunControls } from './RunControls';
import { TokenizerPicker } from './TokenizerPicker';

/** The Train tab: what to train on and how (left), and the run as it goes (right). */
export function TrainingPanel() {
  return (
    <div className="training-panel" data-testid="training-panel">
      <div className="train-setup">
        <DatasetPicker />
        <TokenizerPicker />
        <HyperParams />
        <RunControls />
      </div>
      <div className="train-live">
        <LossCharts />
      </div>
    </div>
  );
}
