import { memo, type CSSProperties } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { getNodeDef } from '../../core/nodes/index';
import type { AnyNodeDef } from '../../core/nodes/define';
import type { PortType } from '../../core/nodes/shape';
import { categoryColor } from '../lib/categories';
import { formatShape } from '../lib/format';
import { useAppStore } from '../store';
import { ErrorBadge } from './ErrorBadge';
import type { LayerFlowNode } from './flowTypes';

/**
 * The one canvas node, driven by the NodeDef: category colour, title, key params, and typed ports named
 * as in the def (handle id = port name). Shapes and errors are read from the analysis slice.
 */
function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const def = getNodeDef(data.type);
  // Primitive selections: a node re-renders only when its own messages or output change.
  const errors = useAppStore((s) => (s.analysis.nodes[id]?.diagnostics ?? []).map((d) => d.message).join('\n'));
  const outShape = useAppStore((s) => {
    const out = s.analysis.nodes[id]?.out;
    return out ? formatShape(out.shape) : '';
  });
  const isFrozen = useAppStore((s) => s.fineTune !== null && s.frozen.includes(id));
  const style = { '--cat': def ? categoryColor(def.category) : 'var(--error)' } as CSSProperties;
  const inputs = def ? Object.entries<readonly PortType[]>(def.inputs) : [];
  return (
    <div
      className={`layer-node${selected ? ' selected' : ''}${errors ? ' has-error' : ''}${isFrozen ? ' frozen' : ''}`}
      style={style}
      data-testid={`node-${id}`}
      data-type={data.type}
      title={def?.doc}
    >
      <header className="layer-node-title">
        <span className="layer-node-label">{def?.label ?? data.type}</span>
        {isFrozen && (
          <span
            className="frozen-badge"
            title="Frozen: its weights stay as the parent run left them"
            data-testid={`frozen-${id}`}
          >
            ❄ frozen
          </span>
        )}
        {errors && <ErrorBadge nodeId={id} text={errors} />}
      </header>
      <div className="layer-node-id">{id}</div>
      <div className="layer-node-ports">
        <div className="ports-in">
          {inputs.map(([port, accepts]) => (
            <div key={port} className="port port-in" title={`${port}: takes ${accepts.join(' or ')}`}>
              <Handle
                type="target"
                position={Position.Left}
                id={port}
                className="handle"
                data-testid={`handle-${id}-${port}`}
              />
              <span className="port-name">{port}</span>
            </div>
          ))}
        </div>
        {def?.head === undefined && (
          <div className="port port-out" title={outShape ? `out: ${outShape}` : 'out'}>
            <span className="port-name">out</span>
            <Handle
              type="source"
              position={Position.Right}
              id="out"
              className="handle"
              data-testid={`handle-${id}-out`}
            />
          </div>
        )}
      </div>
      <KeyParams def={def} params={data.params} />
      {def?.head !== undefined && outShape && <div className="layer-node-out">logits {outShape}</div>}
    </div>
  );
}

function KeyParams({ def, params }: { def: AnyNodeDef | undefined; params: LayerFlowNode['data']['params'] }) {
  const keys = def?.keyParams ?? [];
  if (keys.length === 0) return null;
  return (
    <dl className="layer-node-params">
      {keys.map((k) => (
        <div key={k} className="key-param">
          <dt>{k}</dt>
          <dd>{String(params[k] ?? '')}</dd>
        </div>
      ))}
    </dl>
  );
}

export const LayerNode = memo(LayerNodeView);
