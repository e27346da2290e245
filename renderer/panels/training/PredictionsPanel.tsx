import type { Prediction } from '../../../core/predict/types';
import { inspectedRun } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';
import { RunPicker } from './RunPicker';
import { ClassifyView } from './ClassifyView';
import { NextTokenView } from './NextTokenView';
import { TagView } from './TagView';
import { useInsightRequest } from './useInsightRequest';

/** Type text, see what the model makes of each token; during training the probe text refreshes at every evaluation. */
export function PredictionsPanel() {
  useInsightRequest('predict');
  const text = useAppStore((s) => s.predictText);
  const setText = useAppStore((s) => s.setPredictText);
  const own = useAppStore((s) => s.prediction);
  const probe = useAppStore((s) => inspectedRun(s)?.probe);
  const hasRun = useAppStore((s) => s.run !== null || s.runs.length > 0);
  const hasModel = useAppStore((s) => inspectedRun(s)?.hasModel ?? false);
  const shown: Prediction | undefined = text.trim() ? (own ?? undefined) : probe?.prediction;
  return (
    <div className="insight-panel" data-testid="predictions-panel">
      <RunPicker view="predictions" />
      <div className="insight-head">
        <input
          className="field-input"
          value={text}
          placeholder="Type text to see the model's predictions for each token…"
          onChange={(e) => setText(e.target.value)}
          aria-label="Text to predict"
          data-testid="predict-input"
        />
      </div>
      <p className="muted small" data-testid="prediction-source">
        {!hasRun
          ? 'Train a model first.'
          : text.trim()
            ? hasModel
              ? own
                ? 'Your text, as the model reads it now.'
                : 'Asking the model…'
              : 'Waiting for the saved run’s weights (kept in this browser, or beside the project on the desktop)…'
            : probe
              ? `The probe text (the start of the validation split) at step ${probe.step}; it refreshes at every evaluation.`
              : 'Waiting for the first evaluation…'}
      </p>
      {shown?.kind === 'next-token' && <NextTokenView prediction={shown} />}
      {shown?.kind === 'tag' && <TagView prediction={shown} />}
      {shown?.kind === 'classify' && <ClassifyView prediction={shown} />}
    </div>
  );
}
