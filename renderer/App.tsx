/**
 * Placeholder shell until the editor lands: the header, an empty canvas area, and Open / Save As wired through
 * the Platform so both hosts (Electron, browser) are exercised end to end. The editor work replaces this file.
 */
import { useCallback, useEffect, useState } from 'react';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../core/graph/model';
import { newProject } from '../core/project/project';
import type { AppInfo, OpenedDocument, Platform } from './services/platform';

const emptyDocument = (): OpenedDocument => ({
  handle: { name: 'Untitled' },
  project: newProject({ format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Untitled', nodes: [], edges: [] }),
  diagnostics: [],
});

const styles = {
  shell: { display: 'flex', flexDirection: 'column', height: '100%' },
  header: { display: 'flex', alignItems: 'center', gap: 12, padding: '8px 16px', borderBottom: '1px solid #8884' },
  title: { fontSize: 18, margin: 0 },
  name: { opacity: 0.7, flex: 1 },
  alert: { margin: 0, padding: '8px 16px', background: '#c0392b22', borderBottom: '1px solid #c0392b66' },
  canvas: { flex: 1, display: 'grid', placeItems: 'center', opacity: 0.6 },
} as const;

export function App({ platform }: { platform: Platform }) {
  const [doc, setDoc] = useState<OpenedDocument>(emptyDocument);
  const [problem, setProblem] = useState<string>();
  const [info, setInfo] = useState<AppInfo>();

  useEffect(() => {
    void platform.getInfo().then(setInfo);
  }, [platform]);

  const open = useCallback(async () => {
    const r = await platform.openProject();
    if (!r.ok) return setProblem(r.error.message);
    if (r.value) {
      setDoc(r.value);
      setProblem(undefined);
    }
  }, [platform]);

  const saveAs = useCallback(async () => {
    const r = await platform.saveProjectAs(doc.project, doc.handle.name);
    if (!r.ok) return setProblem(r.error.message);
    if (r.value) setDoc((d) => ({ ...d, handle: r.value ?? d.handle }));
  }, [platform, doc]);

  useEffect(
    () =>
      platform.onMenu((event) => {
        if (event.command === 'file:open') void open();
        if (event.command === 'file:save' || event.command === 'file:saveAs') void saveAs();
      }),
    [platform, open, saveAs],
  );

  const nodes = doc.project.graph.nodes.length;
  return (
    <div style={styles.shell}>
      <header style={styles.header}>
        <h1 style={styles.title}>Wordloom</h1>
        <span style={styles.name} data-testid="document-name">
          {doc.handle.name}
        </span>
        <button type="button" onClick={() => void open()}>
          Open…
        </button>
        <button type="button" onClick={() => void saveAs()}>
          Save As…
        </button>
        <span data-testid="platform">{info ? `${info.platform} · ${info.version}` : ''}</span>
      </header>
      {problem && (
        <p role="alert" style={styles.alert}>
          {problem}
        </p>
      )}
      <main aria-label="Canvas" style={styles.canvas}>
        {nodes === 0 ? 'Empty canvas' : `${nodes} blocks`}
      </main>
    </div>
  );
}
