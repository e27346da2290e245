import { useAppStore } from '../../store';

/** Toolbar button: opens (or closes) the compare view. */
export function CompareButton() {
  const isOpen = useAppStore((s) => s.isCompareOpen);
  const count = useAppStore((s) => s.runs.length);
  const open = useAppStore((s) => s.openCompare);
  const close = useAppStore((s) => s.closeCompare);
  return (
    <button
      type="button"
      className={isOpen ? 'on' : ''}
      aria-pressed={isOpen}
      onClick={isOpen ? close : open}
      title="Compare runs side by side, race architectures, export"
      data-testid="btn-compare"
    >
      Compare{count ? ` (${count})` : ''}
    </button>
  );
}
