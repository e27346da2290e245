import { useMemo } from 'react';
import { previewData, type DataPreview } from '../../../core/data/preview';
import { useAppStore } from '../../store';
import { useSetup } from './useSetup';

/** The preview of the user's own data when it is the chosen dataset (bundled sets have their description). */
export function useDataPreview(): DataPreview | null {
  const { dataset, tokenizer } = useSetup();
  const userData = useAppStore((s) => s.userData);
  const seqLen = useAppStore((s) => s.analysis.seqLen);
  return useMemo(
    () => (userData && userData.name === dataset ? previewData(userData.name, userData.text, { seqLen, tokenizer }) : null),
    [userData, dataset, seqLen, tokenizer],
  );
}
