import { useAppStore } from '../store';

/** Every problem of the graph, each naming its block; clicking one selects that block. */
export function DiagnosticsList() {
  const diagnostics = useAppStore((s) => s.analysis.diagnostics);
  const nodeCount = useAppStore((s) => s.graph.nodes.length);
  const selectNode = useAppStore((s) => s.selectNode);
  if (nodeCount === 0) return null;
  if (diagnostics.length === 0) {
    return (
      <p className="ok-line" data-testid="diagnostics-ok">
        ✓ No problems: every shape fits.
      </p>
    );
  }
  return (
    <section className="diagnostics" data-testid="diagnostics">
      <h4>
        {diagnostics.length} problem{diagnostics.length === 1 ? '' : 's'}
      </h4>
      <ul>
        {diagnostics.map((d, i) => (
          <li key={`${i}:${d.message}`} className={`diagnostic ${d.severity}`}>
            {d.nodeId ? (
              <button type="button" className="link" onClick={() => d.nodeId && selectNode(d.nodeId)}>
                {d.message}
              </button>
            ) : (
              d.message
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
