import { getNodeDef } from '../../core/nodes/index';
import { nextGroupName } from '../canvas/NodeMenu';
import type { ParamSpec } from '../../core/params/spec';
import { categoryColor, CATEGORY_LABELS } from '../lib/categories';
import { useAppStore } from '../store';
import { DiagnosticsList } from './DiagnosticsList';
import { NodeCost } from './NodeCost';
import { ParamField } from './fields/ParamField';

/** The selected node's params (a form generated from its ParamSpecs), its teaching text and its cost. */
export function Inspector() {
  const selected = useAppStore((s) => (s.selectedNodeIds.length === 1 ? s.selectedNodeIds[0] : null));
  const count = useAppStore((s) => s.selectedNodeIds.length);
  return (
    <aside className="inspector panel" data-testid="inspector" aria-label="Inspector">
      {selected ? (
        <NodeInspector key={selected} nodeId={selected} />
      ) : (
        <div className="inspector-empty">
          <div className="panel-title">{count > 1 ? `${count} blocks selected` : 'Model'}</div>
          <p className="muted">
            {count > 1
              ? 'Copy (Ctrl+C), paste (Ctrl+V), delete or group them together.'
              : 'Select a block to edit its settings. Drag blocks from the left, or press Space to add one by name.'}
          </p>
          {count > 1 && <GroupButton />}
          <DiagnosticsList />
        </div>
      )}
    </aside>
  );
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const type = useAppStore((s) => s.graph.nodes.find((n) => n.id === nodeId)?.type);
  const def = type ? getNodeDef(type) : undefined;
  if (!type) return null;
  if (!def) {
    return (
      <div className="inspector-node">
        <div className="panel-title">{type}</div>
        <p className="field-error">
          This block type is unknown to this version of Wordloom; it is kept so saving does not lose it.
        </p>
      </div>
    );
  }
  const specs = Object.entries<ParamSpec>(def.params);
  return (
    <div className="inspector-node" data-testid="inspector-node">
      <div className="inspector-head" style={{ borderLeftColor: categoryColor(def.category) }}>
        <div className="panel-title">{def.label}</div>
        <div className="muted small">
          {CATEGORY_LABELS[def.category]} · <code>{nodeId}</code>
        </div>
      </div>
      <NodeProblems nodeId={nodeId} />
      <FreezeToggle nodeId={nodeId} />
      {def.expand && <CompositeActions nodeId={nodeId} />}
      {specs.length > 0 && (
        <section className="inspector-section">
          <h4>Settings</h4>
          {specs.map(([name, spec]) => (
            <ParamField key={name} nodeId={nodeId} name={name} spec={spec} />
          ))}
        </section>
      )}
      <NodeCost nodeId={nodeId} />
      <section className="inspector-section">
        <h4>What it does</h4>
        <p className="doc" data-testid="node-doc">
          {def.doc}
        </p>
      </section>
    </div>
  );
}

/** A composite block (a TransformerBlock): see the primitives it is, or replace it by them. */
function CompositeActions({ nodeId }: { nodeId: string }) {
  const open = useAppStore((s) => s.openLookInside);
  const expand = useAppStore((s) => s.expandBlock);
  const notify = useAppStore((s) => s.notify);
  return (
    <section className="inspector-section inspector-actions">
      <button
        type="button"
        onClick={() => open(nodeId)}
        data-testid="look-inside-button"
        title="Show the blocks it is made of, with shapes (or double-click it)"
      >
        Look inside
      </button>
      <button
        type="button"
        onClick={() => {
          const why = expand(nodeId);
          if (why) notify('error', why);
        }}
        data-testid="expand-button"
        title="Replace it by the blocks it is made of: same parameters, same outputs (undo brings it back)"
      >
        Expand into blocks
      </button>
    </section>
  );
}

/** Several blocks selected: group them (a named box that folds; Ctrl+G). */
function GroupButton() {
  const group = useAppStore((s) => s.groupSelection);
  const notify = useAppStore((s) => s.notify);
  const groups = useAppStore((s) => s.graph.groups?.length ?? 0);
  return (
    <button
      type="button"
      onClick={() => {
        const why = group(nextGroupName(groups));
        if (why) notify('error', why);
      }}
      data-testid="group-button"
      title="Group the selected blocks into a named box that can be collapsed (Ctrl+G)"
    >
      Group
    </button>
  );
}

/** While fine-tuning: keep this block's weights as the parent left them. */
function FreezeToggle({ nodeId }: { nodeId: string }) {
  const parent = useAppStore((s) => s.fineTune?.name);
  const isFrozen = useAppStore((s) => s.frozen.includes(nodeId));
  const toggle = useAppStore((s) => s.toggleFrozen);
  if (parent === undefined) return null;
  return (
    <section className="inspector-section">
      <label className="freeze-toggle" title={`Fine-tuning from ${parent}: a frozen block keeps its loaded weights`}>
        <input type="checkbox" checked={isFrozen} onChange={() => toggle(nodeId)} data-testid="freeze-toggle" /> ❄
        Freeze its weights while fine-tuning
      </label>
    </section>
  );
}

/** Diagnostics of the node that no field shows (wiring, shapes). */
function NodeProblems({ nodeId }: { nodeId: string }) {
  const text = useAppStore((s) =>
    (s.analysis.nodes[nodeId]?.diagnostics ?? [])
      .filter((d) => d.param === undefined)
      .map((d) => d.message)
      .join('\n'),
  );
  if (!text) return null;
  return (
    <ul className="node-problems" role="alert">
      {text.split('\n').map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}
