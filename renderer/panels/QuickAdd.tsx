import { useMemo, useState, type KeyboardEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { CATEGORY_LABELS, searchDefs } from '../lib/categories';
import { snap } from '../canvas/placement';
import { useAppStore } from '../store';
import type { XY } from '../store/types';

/** How many matches the list shows. */
const MAX_MATCHES = 8;

/** Quick add: type part of a block's name, Enter adds it where you double-clicked (or mid-view). */
export function QuickAdd() {
  const quickAdd = useAppStore((s) => s.quickAdd);
  if (!quickAdd) return null;
  return <QuickAddBox at={quickAdd.at} />;
}

function QuickAddBox({ at }: { at?: XY }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMemo(() => searchDefs(query).slice(0, MAX_MATCHES), [query]);
  const addNode = useAppStore((s) => s.addNode);
  const close = useAppStore((s) => s.closeQuickAdd);
  const rf = useReactFlow();

  const add = (type: string): void => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const where = at ?? (canvas ? rf.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 });
    addNode(type, snap(where));
    close();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter' && matches[active]) add(matches[active].type);
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="quick-add" role="dialog" aria-label="Add a block" data-testid="quick-add">
        <input
          autoFocus
          className="quick-add-input"
          placeholder="Add a block: type part of its name…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          data-testid="quick-add-input"
        />
        <ul className="quick-add-list" role="listbox">
          {matches.length === 0 && <li className="muted">No block matches “{query}”.</li>}
          {matches.map((d, i) => (
            <li
              key={d.type}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                add(d.type);
              }}
            >
              <span>{d.label}</span>
              <span className="muted small">{CATEGORY_LABELS[d.category]}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
