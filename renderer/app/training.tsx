import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { loadBackendChoice, saveBackendChoice } from '../services/backendPreference';
import { startRunArchive } from '../services/runArchive';
import { desktopRunFolder } from '../services/runFolder';
import { watchScratchCompare } from '../services/scratchCompare';
import { indexedDbRunWeights } from '../services/runWeights';
import { createTrainingClient, type TrainingClient } from '../services/trainingClient';
import { useAppStoreApi } from '../store';

const TrainingContext = createContext<TrainingClient | null>(null);

export const startWorker = (): Worker =>
  new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'wordloom-training' });

/** Starts the training worker for this window (and its run archive); stops both when the window goes. */
export function TrainingProvider({ children }: { children: ReactNode }) {
  const store = useAppStoreApi();
  const [client, setClient] = useState<TrainingClient | null>(null);
  useEffect(() => {
    // The backend chosen last session is asked for again (the worker still verifies it on each model).
    const saved = loadBackendChoice();
    if (saved !== store.getState().backend.choice) store.getState().chooseBackend(saved);
    const c = createTrainingClient(store, startWorker);
    const offSave = store.subscribe((s, prev) => {
      if (s.backend.choice !== prev.backend.choice) saveBackendChoice(s.backend.choice);
    });
    const folder = window.api ? desktopRunFolder(window.api) : undefined;
    const stopArchive = startRunArchive(store, c, indexedDbRunWeights(), folder);
    const stopScratch = watchScratchCompare(store);
    setClient(c);
    return () => {
      stopScratch();
      offSave();
      stopArchive();
      c.dispose();
      setClient(null);
    };
  }, [store]);
  return <TrainingContext.Provider value={client}>{children}</TrainingContext.Provider>;
}

/** The training client, or null for the moment before the worker starts. */
export const useTraining = (): TrainingClient | null => useContext(TrainingContext);
