import { useTraining } from '../../app/training';
import { inspectedRun } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';
import { RunPicker } from './RunPicker';
import { NumberInput } from './NumberInput';

const HELD_OUT = 4;

/** An answer of only spaces, or none, says so (an undertrained model's greedy answer often is). */
const shown = (answer: string) =>
  answer.trim() ? answer : <span className="muted">{answer ? '(only spaces: train longer)' : '(ended at once)'}</span>;

/**
 * Ask a next-token model trained on prompt/completion rows: the prompt is framed as training framed it
 * (`prompt <|sep|>`), the answer streams until <|endoftext|>; beside it, held-out validation prompts with the
 * model's greedy answer and the reference.
 */
export function AskPanel() {
  const client = useTraining();
  const prompt = useAppStore((s) => s.askPrompt);
  const setPrompt = useAppStore((s) => s.setAskPrompt);
  const answer = useAppStore((s) => s.askAnswer);
  const isAsking = useAppStore((s) => s.isAsking);
  const options = useAppStore((s) => s.generateOptions);
  const setOptions = useAppStore((s) => s.setGenerateOptions);
  const heldOut = useAppStore((s) => s.heldOut);
  const hasModel = useAppStore((s) => inspectedRun(s)?.hasModel ?? false);
  const promptCompletion = useAppStore((s) => {
    const r = inspectedRun(s);
    return r?.promptCompletion === true && r.task === 'next-token';
  });
  const notify = useAppStore((s) => s.notify);
  if (!promptCompletion)
    return (
      <div className="insight-panel">
        <RunPicker view="ask" />
        <p className="muted small">
        Ask needs a next-token model trained on prompt/completion data (instructions, translation): train or fine-tune
        one first.
        </p>
      </div>
    );
  return (
    <div className="insight-panel ask-panel" data-testid="ask-panel">
      <RunPicker view="ask" />
      <div className="generate-controls">
        <textarea
          className="field-input"
          rows={3}
          value={prompt}
          placeholder="A question, e.g. What is the capital of France?"
          onChange={(e) => setPrompt(e.target.value)}
          aria-label="Question"
          data-testid="ask-prompt"
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
              data-testid="ask-temperature"
            />
          </label>
          <NumberInput
            label="Top-k (0 = all)"
            value={options.topK}
            min={0}
            integer
            testId="ask-topk"
            onCommit={(topK) => setOptions({ topK })}
          />
        </div>
        <button
          type="button"
          className="primary"
          disabled={!client || !hasModel || isAsking || !prompt.trim()}
          onClick={() => client?.ask()}
          data-testid="ask-btn"
        >
          {isAsking ? 'Answering…' : 'Ask'}
        </button>
        <pre className="generated" data-testid="ask-answer" aria-busy={isAsking}>
          {answer}
        </pre>
      </div>
      <section className="held-out" aria-label="Held-out prompts">
        <div className="chart-head">
          <span className="panel-title">Held-out prompts</span>
          <button
            type="button"
            className="small-btn"
            disabled={!client || !hasModel}
            onClick={() => client?.heldOut(HELD_OUT).catch((e: unknown) => notify('error', String(e)))}
            data-testid="ask-heldout"
          >
            Answer {HELD_OUT} from the validation split
          </button>
        </div>
        {heldOut && (
          <table className="held-out-table small" data-testid="heldout-table">
            <thead>
              <tr>
                <th>prompt</th>
                <th>model (greedy)</th>
                <th>reference</th>
              </tr>
            </thead>
            <tbody>
              {heldOut.map((p, i) => (
                <tr key={i}>
                  <td>{p.prompt}</td>
                  <td className="held-out-answer">{shown(p.answer)}</td>
                  <td>{p.reference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
