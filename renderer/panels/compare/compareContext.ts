import { createContext, useContext } from 'react';
import type { CompareClient } from '../../services/compareClient';
import type { Platform } from '../../services/platform';
import type { Racer } from '../../services/race';
import type { RunWeights } from '../../services/runWeights';
import type { AppStoreApi } from '../../store';

/** What CompareRoot provides to the compare view and its children (apart from CompareRoot so they do not import it). */
export interface CompareServices {
  store: AppStoreApi;
  platform: Platform;
  client: CompareClient;
  weights: RunWeights;
  racer: Racer;
}

export const CompareContext = createContext<CompareServices | null>(null);

/** The compare services, or null for the moment before they start. */
export const useCompare = (): CompareServices | null => useContext(CompareContext);

/** A message for a toast from anything thrown. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
