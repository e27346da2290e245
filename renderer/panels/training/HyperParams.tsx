import { DEFAULT_TRAIN_CONFIG } from '../../../core/train/protocol';
import { useAppStore } from '../../store';
import { NumberInput } from './NumberInput';
import { useSetup } from './useSetup';

/** Steps, batch, learning rate, warmup, seed and how often to validate; unset fields show the trainer's defaults. */
export function HyperParams() {
  const { isRunning } = useSetup();
  const t = useAppStore((s) => s.training);
  const batchSize = useAppStore((s) => s.batchSize);
  const update = useAppStore((s) => s.updateTraining);
  const setBatchSize = useAppStore((s) => s.setBatchSize);
  const d = DEFAULT_TRAIN_CONFIG;
  return (
    <fieldset className="train-group train-grid" disabled={isRunning}>
      <legend>Hyper-parameters</legend>
      <NumberInput
        label="Steps"
        value={t.steps ?? d.steps}
        min={1}
        max={1_000_000}
        integer
        testId="hp-steps"
        onCommit={(steps) => update({ steps })}
      />
      <NumberInput
        label="Batch"
        value={batchSize}
        min={1}
        max={4096}
        integer
        testId="hp-batch"
        title="Sequences per step"
        onCommit={setBatchSize}
      />
      <NumberInput
        label="Learning rate"
        value={t.learningRate ?? d.learningRate}
        min={1e-7}
        max={10}
        step={0.0005}
        testId="hp-lr"
        onCommit={(learningRate) => update({ learningRate })}
      />
      <NumberInput
        label="Warmup"
        value={t.warmupSteps ?? d.warmupSteps}
        min={0}
        integer
        testId="hp-warmup"
        title="Steps of linear warmup before the cosine decay"
        onCommit={(warmupSteps) => update({ warmupSteps })}
      />
      <NumberInput
        label="Seed"
        value={t.seed ?? d.seed}
        min={0}
        integer
        testId="hp-seed"
        onCommit={(seed) => update({ seed })}
      />
      <NumberInput
        label="Validate every"
        value={t.evalEvery ?? d.evalEvery}
        min={1}
        integer
        testId="hp-eval"
        title="Steps between validation-loss measurements"
        onCommit={(evalEvery) => update({ evalEvery })}
      />
    </fieldset>
  );
}
