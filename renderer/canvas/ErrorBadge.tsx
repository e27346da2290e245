/** A red "!" on a node with a diagnostic; the message shows on hover (title and a visible tooltip). */
export function ErrorBadge({ nodeId, text }: { nodeId: string; text: string }) {
  return (
    <span className="error-badge" title={text} data-testid={`error-badge-${nodeId}`} aria-label={`Error: ${text}`}>
      !
      <span className="error-tooltip" role="tooltip">
        {text}
      </span>
    </span>
  );
}
