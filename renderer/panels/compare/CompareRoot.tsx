import { createContext, useContext, useEffect, useState } from 'react';
import { usePlatform } from '../../app/commands';
import { createCompareClient, type CompareClient } from '../../services/compareClient';
import type { Platform } from '../../services/platform';
import { createRacer, type Racer } from '../../services/race';
import { indexedDbRunWeights, type RunWeights } from '../../services/runWeights';
import { useAppStore, useAppStoreApi, type AppStoreApi } from '../../store';
import { CompareView } from './CompareView';
import { ExportDialog } from './ExportDialog';
import './compare.css';

export interface CompareServices {
  store: AppStoreApi;
  platform: Platform;
  client: CompareClient;
  weights: RunWeights;
  racer: Racer;
}

const CompareContext = createContext<CompareServices | null>(null);

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

/** The compare services, or null for the moment before they start. */
export const useCompare = (): CompareServices | null => useContext(CompareContext);

/** A message for a toast from anything thrown. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
