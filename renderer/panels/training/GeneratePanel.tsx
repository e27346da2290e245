import { useTraining } from '../../app/training';
import { inspectedRun } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';
import { RunPicker } from './RunPicker';
import { NumberInput } from './NumberInput';

/** Prompt → a continuation streamed token by token, with temperature and top-k. */
export function GeneratePanel() {
  const client = useTraining();
  const prompt = useAppStore((s) => s.prompt);
  const setPrompt = useAppStore((s) => s.setPrompt);
  const options = useAppStore((s) => s.generateOptions);
  const setOptions = useAppStore((s) => s.setGenerateOptions);
  const generated = useAppStore((s) => s.generated);
  const isGenerating = useAppStore((s) => s.isGenerating);
  const hasModel = useAppStore((s) => inspectedRun(s)?.hasModel ?? false);
  const isLm = useAppStore((s) => s.analysis.task === 'next-token');
  if (!isLm)
    return (
      <p className="muted small insight-panel">Generation needs a next-token model (a graph with a NextTokenHead).</p>
    );
  return (
    <div className="insight-panel generate-panel" data-testid="generate-panel">
      <RunPicker view="generate" />
      <div className="generate-controls">
        <textarea
          className="field-input"
          rows={3}
          value={prompt}
          placeholder="A prompt, e.g. ROMEO:"
          onChange={(e) => setPrompt(e.target.value)}
          aria-label="Prompt"
          data-testid="generate-prompt"
        />
        <div className="train-grid">
          <label className="train-field">
            <span>Temperature {options.temperature.toFixed(2)}</span>
            <input
              type="range"
              min={0}
              max={2}
              step={0.05}
              value={options.temperature}
              onChange={(e) => setOptions({ temperature: Number(e.target.value) })}
              data-testid="generate-temperature"
            />
          </label>
          <NumberInput
            label="Top-k (0 = all)"
            value={options.topK}
            min={0}
            integer
            testId="generate-topk"
            onCommit={(topK) => setOptions({ topK })}
          />
          <NumberInput
            label="Tokens"
            value={options.tokens}
            min={1}
            max={2000}
            integer
            testId="generate-tokens"
            onCommit={(tokens) => setOptions({ tokens })}
          />
        </div>
        <button
          type="button"
          className="primary"
          disabled={!client || !hasModel || isGenerating}
          onClick={() => client?.generate()}
          data-testid="generate-btn"
        >
          {isGenerating ? 'Generating…' : 'Generate'}
        </button>
        {!hasModel && <span className="muted small"> Train a model first.</span>}
      </div>
      <pre className="generated" data-testid="generate-output" aria-busy={isGenerating}>
        <span className="muted">{prompt}</span>
        {generated}
      </pre>
    </div>
  );
}
