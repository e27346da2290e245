import { useMemo, useState, type DragEvent } from 'react';
import type { AnyNodeDef } from '../../core/nodes/define';
import { CATEGORY_LABELS, NODE_DRAG_MIME, categoryColor, groupedDefs, searchDefs } from '../lib/categories';
import { freePosition } from '../canvas/placement';
import { useAppStore, useAppStoreApi } from '../store';

/** Every node type by category. Drag one onto the canvas, or click it to add it beside the last node. */
export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupedDefs(searchDefs(query)), [query]);
  return (
    <aside className="palette panel" data-testid="palette" aria-label="Node palette">
      <div className="panel-title">Blocks</div>
      <input
        className="palette-search"
        type="search"
        placeholder="Filter blocks…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      <div className="palette-groups">
        {groups.map((g) => (
          <section key={g.category} className="palette-group">
            <h3 style={{ color: categoryColor(g.category) }}>{CATEGORY_LABELS[g.category]}</h3>
            {g.defs.map((def) => (
              <PaletteItem key={def.type} def={def} />
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}

function PaletteItem({ def }: { def: AnyNodeDef }) {
  const addNode = useAppStore((s) => s.addNode);
  const store = useAppStoreApi();
  const onDragStart = (e: DragEvent<HTMLButtonElement>): void => {
    e.dataTransfer.setData(NODE_DRAG_MIME, def.type);
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <button
      type="button"
      className="palette-item"
      draggable
      onDragStart={onDragStart}
      onClick={() => addNode(def.type, freePosition(store.getState().graph))}
      title={def.doc}
      data-testid={`palette-${def.type}`}
      style={{ borderLeftColor: categoryColor(def.category) }}
    >
      {def.label}
    </button>
  );
}
