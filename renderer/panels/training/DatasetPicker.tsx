import { useState } from 'react';
import { BUNDLED_DATASETS, bundledDataset } from '../../../core/data/bundled/manifest';
import { MAX_DATA_BYTES } from '../../../core/data/formats';
import { formatBytes } from '../../lib/format';
import { taskOfDataset } from '../../lib/trainSetup';
import { useAppStore } from '../../store';
import { DataPreviewView } from './DataPreviewView';
import { useDataPreview } from './useDataPreview';
import { useSetup } from './useSetup';
import { previewData } from '../../../core/data/preview';

/** The tokenizer a user's data starts with: words for labelled rows (a bag of words, not of characters), else characters. */
const tokenizerFor = (name: string, text: string): string => {
  const task = previewData(name, text.slice(0, 200_000)).task;
  return task === 'classify' || task === 'tag' ? 'word' : 'char';
};

const PASTED = 'pasted text';

/** Pick a bundled set (with what it is), open a .txt/.tsv/.jsonl file, or paste text. */
export function DatasetPicker() {
  const { dataset, isRunning } = useSetup();
  const task = useAppStore((s) => s.analysis.task);
  const userName = useAppStore((s) => s.userData?.name);
  const updateTraining = useAppStore((s) => s.updateTraining);
  const setUserData = useAppStore((s) => s.setUserData);
  const notify = useAppStore((s) => s.notify);
  const preview = useDataPreview();
  const chooseData = (name: string, text: string): void => {
    setUserData({ name, text });
    updateTraining({ tokenizer: tokenizerFor(name, text) });
  };
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const set = bundledDataset(dataset);
  const dataTask = taskOfDataset(dataset);

  const openFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (file.size > MAX_DATA_BYTES)
      return notify(
        'error',
        `${file.name} is ${formatBytes(file.size)}; datasets up to ${formatBytes(MAX_DATA_BYTES)} fit in memory.`,
      );
    chooseData(file.name, await file.text());
  };

  return (
    <fieldset className="train-group" disabled={isRunning}>
      <legend>Data</legend>
      <select
        className="field-input"
        value={dataset}
        aria-label="Dataset"
        data-testid="dataset-select"
        onChange={(e) => {
          const next = e.target.value;
          updateTraining({
            dataset: next,
            ...(bundledDataset(next) ? { tokenizer: bundledDataset(next)?.defaultTokenizer } : {}),
          });
        }}
      >
        {BUNDLED_DATASETS.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name} ({d.task})
          </option>
        ))}
        {userName && <option value={userName}>{userName} (your data)</option>}
        {!set && dataset !== userName && <option value={dataset}>{dataset} (not loaded)</option>}
      </select>
      <p className="muted small" data-testid="dataset-description">
        {set
          ? set.description
          : dataset === userName
            ? 'Your own text; its task is read from its format.'
            : 'Open this file again to train on it.'}
      </p>
      {preview && <DataPreviewView preview={preview} />}
      {dataTask && task && dataTask !== task && (
        <p className="train-warning small" data-testid="dataset-mismatch">
          This graph’s head does {task}; {dataset} is for {dataTask}.
        </p>
      )}
      <div className="train-row">
        <label className="file-button">
          Open file…
          <input
            type="file"
            accept=".txt,.tsv,.jsonl,text/plain"
            hidden
            data-testid="dataset-file"
            onChange={(e) => void openFile(e.target.files?.[0])}
          />
        </label>
        <button type="button" onClick={() => setPasting((p) => !p)} className={pasting ? 'on' : ''}>
          Paste text…
        </button>
      </div>
      {pasting && (
        <div className="paste-box">
          <textarea
            className="field-input"
            rows={4}
            value={pasted}
            placeholder="Paste a corpus (next-token), or text⇥label lines (classification)…"
            onChange={(e) => setPasted(e.target.value)}
            data-testid="dataset-paste"
          />
          <button
            type="button"
            disabled={!pasted.trim()}
            onClick={() => {
              chooseData(PASTED, pasted);
              setPasting(false);
            }}
          >
            Use this text
          </button>
        </div>
      )}
    </fieldset>
  );
}
