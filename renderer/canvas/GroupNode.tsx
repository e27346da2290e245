import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatCount } from '../lib/format';
import { useAppStore } from '../store';
import type { GroupFlowNode } from './flowTypes';

/**
 * A group: open, a labelled frame behind its blocks; collapsed, one box in their place with a port per wire
 * crossing its border. Its name is edited in place; the arrow folds and unfolds it (each one undo step).
 */
function GroupNodeView({ data, selected }: NodeProps<GroupFlowNode>) {
  const setCollapsed = useAppStore((s) => s.setGroupCollapsed);
  const rename = useAppStore((s) => s.renameGroup);
  const ungroup = useAppStore((s) => s.ungroup);
  const params = useAppStore((s) => data.members.reduce((t, id) => t + (s.analysis.nodes[id]?.cost?.params ?? 0), 0));
  const { groupId, collapsed } = data;
  return (
    <div
      className={`group-node${collapsed ? ' collapsed' : ''}${selected ? ' selected' : ''}`}
      data-testid={`group-${groupId}`}
      data-collapsed={collapsed}
    >
      <header className="group-node-title">
        <button
          type="button"
          className="group-fold nodrag"
          onClick={() => setCollapsed(groupId, !collapsed)}
          title={collapsed ? 'Open the group: show its blocks' : 'Collapse the group into one box'}
          aria-label={collapsed ? `Expand group ${data.name}` : `Collapse group ${data.name}`}
          data-testid={`group-fold-${groupId}`}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <input
          className="group-name nodrag"
          value={data.name}
          onChange={(e) => rename(groupId, e.target.value)}
          aria-label="Group name"
          data-testid={`group-name-${groupId}`}
          size={Math.max(6, data.name.length)}
        />
        <button
          type="button"
          className="group-ungroup nodrag"
          onClick={() => ungroup(groupId)}
          title="Ungroup: keep the blocks, drop the group"
          aria-label={`Ungroup ${data.name}`}
        >
          ×
        </button>
      </header>
      {collapsed && (
        <>
          <div className="group-node-summary" data-testid={`group-summary-${groupId}`}>
            {data.members.length} blocks · {formatCount(params)} params
          </div>
          <div className="group-node-ports">
            <div className="ports-in">
              {data.inputs.map((h) => (
                <div key={h} className="port port-in" title={h.slice(3)}>
                  <Handle type="target" position={Position.Left} id={h} className="handle" isConnectable={false} />
                  <span className="port-name">{h.slice(3)}</span>
                </div>
              ))}
            </div>
            <div className="ports-out">
              {data.outputs.map((h) => (
                <div key={h} className="port port-out" title={h.slice(4)}>
                  <span className="port-name">{h.slice(4)}</span>
                  <Handle type="source" position={Position.Right} id={h} className="handle" isConnectable={false} />
                </div>
              ))}
            </div>
          </div>
        </>
      )}
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
