import { useEffect, useRef } from 'react';
import { groupOfNode } from '../../core/graph/groups';
import { getNodeDef } from '../../core/nodes/index';
import { useAppStore, useAppStoreApi } from '../store';

/** Where the block menu is open: the block, and the click point inside the canvas. */
export interface NodeMenuState {
  nodeId: string;
  x: number;
  y: number;
}

/**
 * The block's context menu (right click): look inside and expand a composite block, group the selection,
 * ungroup. Each item is a named store action, so each edit is one undo step.
 */
export function NodeMenu({ menu, onClose }: { menu: NodeMenuState; onClose: () => void }) {
  const store = useAppStoreApi();
  const ref = useRef<HTMLDivElement>(null);
  const type = useAppStore((s) => s.graph.nodes.find((n) => n.id === menu.nodeId)?.type);
  const count = useAppStore((s) => s.selectedNodeIds.length);
  const group = useAppStore((s) => groupOfNode(s.graph, menu.nodeId));
  const isComposite = type !== undefined && getNodeDef(type)?.expand !== undefined;

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    const onDown = (e: globalThis.MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);

  const run = (action: () => string | null | void): void => {
    const why = action();
    if (typeof why === 'string') store.getState().notify('error', why);
    onClose();
  };
  const s = () => store.getState();
  return (
    <div ref={ref} className="node-menu" role="menu" style={{ left: menu.x, top: menu.y }} data-testid="node-menu">
      {isComposite && (
        <>
          <button type="button" role="menuitem" onClick={() => run(() => s().openLookInside(menu.nodeId))}>
            Look inside
          </button>
          <button type="button" role="menuitem" onClick={() => run(() => s().expandBlock(menu.nodeId))}>
            Expand into blocks
          </button>
        </>
      )}
      {count >= 2 && (
        <button
          type="button"
          role="menuitem"
          onClick={() => run(() => s().groupSelection(nextGroupName(s().graph.groups?.length ?? 0)))}
        >
          Group {count} blocks
        </button>
      )}
      {group && (
        <button type="button" role="menuitem" onClick={() => run(() => s().ungroup(group.id))}>
          Ungroup “{group.name}”
        </button>
      )}
      {!isComposite && count < 2 && !group && (
        <div className="node-menu-empty muted">Select two or more blocks to group them.</div>
      )}
    </div>
  );
}

/** "Group 1", "Group 2", …: a default name the user edits in the group's title. */
export const nextGroupName = (existing: number): string => `Group ${existing + 1}`;
