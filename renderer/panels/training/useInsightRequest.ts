import { useEffect } from 'react';
import { useTraining } from '../../app/training';
import { inspectedRun } from '../../lib/inspectedRun';
import { useAppStore } from '../../store';

const DELAY_MS = 250;

/** Asks the model about the current text a moment after the user stops typing, and again once a model is loaded. */
export function useInsightRequest(kind: 'predict' | 'attention'): void {
  const client = useTraining();
  const text = useAppStore((s) => s.predictText);
  // The run picked for the inspection tabs (else the current one): picking another asks it again.
  const hasModel = useAppStore((s) => inspectedRun(s)?.hasModel ?? false);
  const runId = useAppStore((s) => inspectedRun(s)?.id);
  // Attention maps are asked for only while their tab is on screen; predictions feed the probe view too.
  const isWanted = useAppStore((s) => kind === 'predict' || (s.isDockOpen && s.dockTab === 'attention'));
  useEffect(() => {
    if (!client || !hasModel || !isWanted || !text.trim()) return;
    const t = setTimeout(() => (kind === 'predict' ? client.predict(text) : client.attention(text)), DELAY_MS);
    return () => clearTimeout(t);
  }, [client, kind, text, hasModel, runId, isWanted]);
}
