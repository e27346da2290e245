import { useEffect, useRef, useState } from 'react';
import { BUNDLED_DATASETS, DATA_CREDITS } from '../../core/data/bundled/manifest';
import type { AppInfo } from '../services/platform';
import { useDialogFocus } from './useDialogFocus';

const describe = (name: string): string | undefined => BUNDLED_DATASETS.find((d) => d.name === name)?.description;

/** Help > About (and the toolbar's About): the version, the runtime, and each bundled dataset's credit and licence. */
export function AboutDialog({ loadInfo, onClose }: { loadInfo: () => Promise<AppInfo>; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useDialogFocus(ref, onClose);
  useEffect(() => {
    let live = true;
    loadInfo().then(
      (i) => live && setInfo(i),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [loadInfo]);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className="modal about-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="about-title"
        aria-describedby="about-version"
        tabIndex={-1}
        data-testid="about-dialog"
      >
        <h2 id="about-title">About Wordloom</h2>
        <p id="about-version" data-testid="about-version">
          {info ? `Version ${info.version}` : error ? `Version unknown: ${error}` : 'Version …'}
          {info && <span className="muted"> · {info.platform === 'desktop' ? 'desktop app' : 'in the browser'}</span>}
        </p>
        {info && Object.keys(info.versions).length > 0 && (
          <p className="muted about-runtime" data-testid="about-runtime">
            {Object.entries(info.versions)
              .map(([name, v]) => `${name} ${v}`)
              .join(' · ')}
          </p>
        )}
        <p className="muted">Wordloom is MIT licensed. The datasets it ships keep their own licences:</p>
        <ul className="about-credits" aria-label="Bundled dataset credits" data-testid="about-credits">
          {DATA_CREDITS.map((c) => (
            <li key={c.name} data-testid={`credit-${c.name}`}>
              <div className="about-credit-head">
                <strong>{c.name}</strong>
                {c.licenceUrl ? (
                  <a href={c.licenceUrl} target="_blank" rel="noreferrer noopener">
                    {c.licence}
                  </a>
                ) : (
                  <span>{c.licence}</span>
                )}
              </div>
              {describe(c.name) && <div className="muted">{describe(c.name)}</div>}
              <div className="about-attribution">{c.attribution}</div>
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <button type="button" className="primary" onClick={onClose} data-autofocus data-testid="about-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
