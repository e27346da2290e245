import { useEffect, useState } from 'react';
import { usePlatform } from '../../app/commands';
import { createCompareClient } from '../../services/compareClient';
import { createRacer } from '../../services/race';
import { indexedDbRunWeights } from '../../services/runWeights';
import { useAppStore, useAppStoreApi } from '../../store';
import { CompareContext, type CompareServices } from './compareContext';
import { CompareView } from './CompareView';
import { ExportDialog } from './ExportDialog';
import './compare.css';

const startWorker = (): Worker =>
  new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'wordloom-compare' });

/**
 * The compare view and the export dialog, with their services: a compare worker (started on first use, so
 * a session that never compares pays nothing), the run weights store, and the racer.
 */
export function CompareRoot() {
  const store = useAppStoreApi();
  const platform = usePlatform();
  const [services, setServices] = useState<CompareServices | null>(null);
  useEffect(() => {
    const client = createCompareClient(store, startWorker);
    const weights = indexedDbRunWeights();
    setServices({ store, platform, client, weights, racer: createRacer(store, client, weights) });
    return () => {
      client.dispose();
      setServices(null);
    };
  }, [store, platform]);
  const isOpen = useAppStore((s) => s.isCompareOpen);
  const isExporting = useAppStore((s) => s.exportRunId !== null);
  return (
    <CompareContext.Provider value={services}>
      {isOpen && <CompareView />}
      {isExporting && <ExportDialog />}
    </CompareContext.Provider>
  );
}
