import { useMemo, useState, type KeyboardEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { CATEGORY_LABELS, searchDefs } from '../lib/categories';
import { compatibleDefs } from '../lib/quickConnect';
import { snap } from '../canvas/placement';
import { canvasPointer } from '../canvas/pointer';
import { useAppStore, useAppStoreApi } from '../store';
import type { XY } from '../store/types';
import type { QuickAddState } from '../store/uiSlice';

/** How many matches the list shows. */
const MAX_MATCHES = 8;

/**
 * Quick add: type part of a block's name, Enter adds it where you double-clicked (or beside the selected block,
 * or mid-view). Opened from a selected block (Space) or a wire dropped on empty canvas, it lists only the blocks
 * that fit and wires the choice; Ctrl+Enter adds without the wire.
 */
export function QuickAdd() {
  const quickAdd = useAppStore((s) => s.quickAdd);
  if (!quickAdd) return null;
  return <QuickAddBox state={quickAdd} />;
}

function QuickAddBox({ state }: { state: QuickAddState }) {
  const { at, from, to } = state;
  const store = useAppStoreApi();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const graph = useAppStore((s) => s.graph);
  const binding = useAppStore((s) => s.binding);
  const isLinking = from !== undefined || to !== undefined;
  const matches = useMemo(() => {
    const found = searchDefs(query);
    const fits = isLinking ? compatibleDefs(graph, binding, found, { from, to }) : found.map((def) => ({ def, port: '' }));
    return fits.slice(0, MAX_MATCHES);
  }, [query, isLinking, graph, binding, from, to]);
  const close = useAppStore((s) => s.closeQuickAdd);
  const rf = useReactFlow();

  const add = (type: string, port: string, wire: boolean): void => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    // Where it was asked for (a double-click, a dropped wire, beside the selected block), else under the pointer
    // when it is over the canvas, else mid-view.
    const pointer = canvasPointer();
    const where =
      at ??
      (pointer
        ? rf.screenToFlowPosition(pointer)
        : canvas
          ? rf.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 })
          : { x: 0, y: 0 });
    const s = store.getState();
    const id = s.addNode(type, snap(where));
    if (wire && port) {
      const why = from ? s.connect(from, { node: id, port }) : to ? s.connect({ node: id, port: 'out' }, to) : null;
      if (why) s.notify('error', why);
    }
    close();
    focusNode(id, where);
  };

  /**
   * The new block keeps the keyboard (Space again adds the next one after it) and stays in view: React Flow
   * renders it a frame or two later, so this waits for its element, unless a new quick add has opened meanwhile (a
   * fast typist's next Space): focusing the block then would take the keyboard from that box's input.
   */
  const focusNode = (id: string, at: XY, tries = 20): void => {
    if (store.getState().quickAdd) return;
    const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`);
    if (!el) {
      if (tries > 0) setTimeout(() => focusNode(id, at, tries - 1), 16);
      return;
    }
    el.focus({ preventScroll: true });
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    if (canvas && (box.right > canvas.right - 20 || box.left < canvas.left || box.bottom > canvas.bottom || box.top < canvas.top))
      void rf.setCenter(at.x + box.width / 2 / rf.getZoom(), at.y + box.height / 2 / rf.getZoom(), {
        zoom: rf.getZoom(),
        duration: 0,
      });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const m = matches[active];
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter' && m) add(m.def.type, m.port, !(e.ctrlKey || e.metaKey));
    else return;
    e.preventDefault();
  };

  const target = from ? `${from.node}.${from.port}` : to ? `${to.node}.${to.port}` : '';
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="quick-add" role="dialog" aria-label="Add a block" data-testid="quick-add">
        {isLinking && (
          <p className="quick-add-link small" data-testid="quick-add-link">
            {from ? <>Connect to <strong>{target}</strong>: blocks that take its output</> : <>Feed <strong>{target}</strong>: blocks whose output it takes</>}
            <span className="muted"> · Ctrl+Enter adds without the wire</span>
          </p>
        )}
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
          aria-label="Block name"
          data-testid="quick-add-input"
        />
        <ul className="quick-add-list" role="listbox">
          {matches.length === 0 && (
            <li className="muted">No block {isLinking ? 'that fits here ' : ''}matches “{query}”.</li>
          )}
          {matches.map(({ def: d, port }, i) => (
            <li
              key={d.type}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                add(d.type, port, true);
              }}
            >
              <span>{d.label}</span>
              <span className="muted small">
                {isLinking && from && port !== 'in' ? `→ ${port} · ` : ''}
                {CATEGORY_LABELS[d.category]}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
