import type { AutosavedDocument } from '../services/autosave';

const when = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/** The other recovered projects (the newest is the start screen's "Continue" button): name, time, runs. */
export function RecentProjects({ docs, onOpen }: { docs: AutosavedDocument[]; onOpen: (doc: AutosavedDocument) => void }) {
  if (docs.length === 0) return null;
  return (
    <section className="recent-projects" aria-label="Recent projects" data-testid="recent-projects">
      <h2 className="panel-title">Recovered projects</h2>
      <ul>
        {docs.map((doc) => (
          <li key={doc.id}>
            <button type="button" onClick={() => onOpen(doc)} data-testid="recent-project">
              <strong>{doc.handle.name}</strong>
              <span className="muted small">
                {' '}
                · {doc.project.graph.nodes.length} blocks · {doc.project.runs.length} run
                {doc.project.runs.length === 1 ? '' : 's'} · {when(doc.savedAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
