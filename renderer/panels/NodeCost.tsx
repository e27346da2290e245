import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount, formatShape } from '../lib/format';
import { useAppStore } from '../store';

/** Bytes per float32. */
const FLOAT_BYTES = 4;

/** One node's output shape and cost: parameters, FLOPs per token, activation memory for one example and a batch. */
export function NodeCost({ nodeId }: { nodeId: string }) {
  const [params, flops, activations, shape] = useAppStore(
    useShallow((s) => {
      const a = s.analysis.nodes[nodeId];
      return [
        a?.cost?.params,
        a?.cost?.flopsPerToken,
        a?.cost?.activations,
        a?.out ? formatShape(a.out.shape) : undefined,
      ];
    }),
  );
  const batchSize = useAppStore((s) => s.batchSize);
  if (params === undefined || flops === undefined || activations === undefined) {
    return (
      <section className="inspector-section">
        <h4>Cost</h4>
        <p className="muted">Known once the block is wired and its settings are valid.</p>
      </section>
    );
  }
  return (
    <section className="inspector-section" data-testid="node-cost">
      <h4>Cost</h4>
      <dl className="stats">
        {shape && (
          <>
            <dt>Output</dt>
            <dd data-testid="node-output-shape">{shape}</dd>
          </>
        )}
        <dt>Parameters</dt>
        <dd data-testid="node-params">{params.toLocaleString('en-US')}</dd>
        <dt>FLOPs / token</dt>
        <dd>{formatCount(flops)}</dd>
        <dt>Activations</dt>
        <dd title={`${activations.toLocaleString('en-US')} floats kept for the backward pass, per example`}>
          {formatBytes(activations * FLOAT_BYTES)} / example · {formatBytes(activations * FLOAT_BYTES * batchSize)} at
          batch {batchSize}
        </dd>
      </dl>
    </section>
  );
}
