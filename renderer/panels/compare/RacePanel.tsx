import { useMemo } from 'react';
import { BUNDLED_DATASETS } from '../../../core/data/bundled/manifest';
import type { Task } from '../../../core/nodes/define';
import { DEFAULT_BINDING, inferGraph } from '../../../core/shapes/infer';
import { DEFAULT_TRAIN_CONFIG } from '../../../core/train/protocol';
import { TEMPLATES } from '../../lib/templates';
import { datasetName, taskOfDataset, tokenizerName } from '../../lib/trainSetup';
import { useAppStore } from '../../store';
import { CURRENT_GRAPH } from '../../store/compareSlice';
import { NumberInput } from '../training/NumberInput';
import { errorText, useCompare } from './compareContext';
import { RaceProgress } from './RaceProgress';

const TOKENIZERS = ['char', 'word', 'bpe:500', 'gpt2'];

/** Each template's task, from its head (computed once: templates never change). */
const TEMPLATE_TASKS: ReadonlyMap<string, Task | undefined> = new Map(
  TEMPLATES.map((t) => [t.id, inferGraph(t.graph, DEFAULT_BINDING).task]),
);

/** Race: several graphs, one dataset, tokenizer, seed and budget, trained one after another into one comparison. */
export function RacePanel() {
  const services = useCompare();
  const setup = useAppStore((s) => s.raceSetup);
  const update = useAppStore((s) => s.updateRaceSetup);
  const toggleGraph = useAppStore((s) => s.toggleRaceGraph);
  const training = useAppStore((s) => s.training);
  const batchSize = useAppStore((s) => s.batchSize);
  const userName = useAppStore((s) => s.userData?.name);
  const currentName = useAppStore((s) => s.graph.name);
  const currentTask = useAppStore((s) => s.analysis.task);
  const hasCurrent = useAppStore((s) => s.graph.nodes.length > 0);
  const isRunning = useAppStore((s) => s.race?.isRunning ?? false);
  const notify = useAppStore((s) => s.notify);
  const dataset = setup.dataset ?? datasetName(training, 'next-token');
  const tokenizer = setup.tokenizer ?? tokenizerName({ ...training, dataset }, dataset);
  const task = taskOfDataset(dataset);
  const choices = useMemo(
    () => [
      ...(hasCurrent ? [{ key: CURRENT_GRAPH, label: `${currentName} (on screen)`, task: currentTask }] : []),
      ...TEMPLATES.map((t) => ({ key: t.id, label: t.graph.name, task: TEMPLATE_TASKS.get(t.id) })),
    ],
    [hasCurrent, currentName, currentTask],
  );
  const budget = setup.budget;

  const start = (): void => {
    if (!services) return;
    try {
      const problem = services.racer.start();
      if (problem) notify('error', problem);
    } catch (e) {
      notify('error', errorText(e));
    }
  };

  return (
    <section className="compare-group race-panel" aria-label="Race">
      <h3>Race architectures</h3>
      <fieldset className="race-form" disabled={isRunning}>
        <div className="race-graphs" data-testid="race-graphs">
          {choices.map((c) => {
            const fits = !task || !c.task || c.task === task;
            return (
              <label
                key={c.key}
                className={fits ? '' : 'muted'}
                title={fits ? c.label : `A ${c.task} model; ${dataset} trains ${task} models`}
              >
                <input
                  type="checkbox"
                  checked={setup.graphs.includes(c.key)}
                  disabled={!fits && !setup.graphs.includes(c.key)}
                  onChange={() => toggleGraph(c.key)}
                  data-testid={`race-graph-${c.key}`}
                />{' '}
                {c.label}
              </label>
            );
          })}
        </div>
        <div className="train-grid">
          <label className="train-field">
            <span>Dataset</span>
            <select
              className="field-input"
              value={dataset}
              onChange={(e) => update({ dataset: e.target.value })}
              data-testid="race-dataset"
            >
              {BUNDLED_DATASETS.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} ({d.task})
                </option>
              ))}
              {userName && <option value={userName}>{userName} (your data)</option>}
            </select>
          </label>
          <label className="train-field">
            <span>Tokenizer</span>
            <select
              className="field-input"
              value={tokenizer}
              onChange={(e) => update({ tokenizer: e.target.value })}
              data-testid="race-tokenizer"
            >
              {[...new Set([tokenizer, ...TOKENIZERS])].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <NumberInput
            label="Seed"
            value={setup.seed ?? training.seed ?? DEFAULT_TRAIN_CONFIG.seed}
            min={0}
            integer
            testId="race-seed"
            onCommit={(seed) => update({ seed })}
          />
          <NumberInput
            label="Batch"
            value={setup.batchSize ?? batchSize}
            min={1}
            max={4096}
            integer
            testId="race-batch"
            onCommit={(b) => update({ batchSize: b })}
          />
          <label className="train-field">
            <span>Budget per graph</span>
            <select
              className="field-input"
              value={budget.kind}
              onChange={(e) =>
                update({
                  budget:
                    e.target.value === 'minutes' ? { kind: 'minutes', minutes: 1 } : { kind: 'steps', steps: 200 },
                })
              }
              data-testid="race-budget-kind"
            >
              <option value="steps">steps</option>
              <option value="minutes">minutes</option>
            </select>
          </label>
          {budget.kind === 'steps' ? (
            <NumberInput
              label="Steps"
              value={budget.steps}
              min={1}
              max={1_000_000}
              integer
              testId="race-steps"
              onCommit={(steps) => update({ budget: { kind: 'steps', steps } })}
            />
          ) : (
            <NumberInput
              label="Minutes"
              value={budget.minutes}
              min={0.05}
              max={24 * 60}
              step={0.5}
              testId="race-minutes"
              onCommit={(minutes) => update({ budget: { kind: 'minutes', minutes } })}
            />
          )}
        </div>
      </fieldset>
      <div className="train-row">
        {isRunning ? (
          <button type="button" onClick={() => services?.racer.stop()} data-testid="race-stop">
            ■ Stop race
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!services || setup.graphs.length < 2}
            onClick={start}
            data-testid="race-start"
          >
            ▶ Race
          </button>
        )}
        <span className="muted small">one after another, each kept as a run</span>
      </div>
      <RaceProgress />
    </section>
  );
}
