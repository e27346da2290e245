import { useEffect, useState } from 'react';
import { useTraining } from '../../app/training';
import { previewKey } from '../../services/trainingClient';
import { useAppStore } from '../../store';
import { sampleSentence } from '../../../core/data/preview';
import { TokenChips } from './TokenChips';
import { useDataPreview } from './useDataPreview';
import { useSetup } from './useSetup';

const KINDS = [
  { value: 'char', label: 'Characters' },
  { value: 'word', label: 'Words (top-N + <unk>)' },
  { value: 'bpe', label: 'Byte-pair (bpe:N)' },
  { value: 'gpt2', label: 'GPT-2 (50,257)' },
] as const;

const SAMPLES: Record<string, string> = {
  'next-token': 'ROMEO: But soft, what light through yonder window breaks?',
  classify: 'The battery life is great, but the screen scratches easily.',
  tag: 'The quick brown fox jumps over the lazy dog .',
};

/** Waits this long after the last keystroke before asking the worker to split the sample. */
const PREVIEW_DELAY_MS = 250;

/** Tokenizer choice, its vocabulary size, and a sample sentence cut into coloured tokens by the worker. */
export function TokenizerPicker() {
  const client = useTraining();
  const { dataset, tokenizer, isRunning } = useSetup();
  const task = useAppStore((s) => s.analysis.task) ?? 'next-token';
  const userText = useAppStore((s) => s.userData);
  const preview = useAppStore((s) => s.tokenPreview);
  const updateTraining = useAppStore((s) => s.updateTraining);
  // Nothing to preview for an empty canvas (the start screen): the worker need not load a dataset yet.
  const hasGraph = useAppStore((s) => s.graph.nodes.length > 0);
  const [sample, setSample] = useState<string | null>(null);
  // The user's own data gives the sample (its first row), so the preview shows how *their* text splits.
  const dataPreview = useDataPreview();
  const dataError = dataPreview?.error;
  const fromData = dataPreview && !dataError ? sampleSentence(dataPreview) : undefined;
  const text = sample ?? fromData ?? SAMPLES[task] ?? SAMPLES['next-token'];
  const [kind, size] = tokenizer.startsWith('bpe:') ? ['bpe', tokenizer.slice(4)] : [tokenizer, ''];
  const key = previewKey(dataset, tokenizer, text);
  const isCurrent = preview?.key === key;

  useEffect(() => {
    // Data that cannot train (binary, malformed) has nothing to tokenize: its preview says why instead.
    if (!client || !hasGraph || dataError) return;
    const t = setTimeout(() => client.previewTokens(text), PREVIEW_DELAY_MS);
    return () => clearTimeout(t);
  }, [client, hasGraph, dataset, tokenizer, text, userText, dataError]);

  return (
    <fieldset className="train-group" disabled={isRunning}>
      <legend>Tokenizer</legend>
      <div className="train-row">
        <select
          className="field-input"
          value={kind}
          aria-label="Tokenizer"
          data-testid="tokenizer-select"
          onChange={(e) => updateTraining({ tokenizer: e.target.value === 'bpe' ? 'bpe:500' : e.target.value })}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
        {kind === 'bpe' && (
          <input
            className="field-input narrow"
            type="number"
            min={1}
            max={50000}
            value={size}
            aria-label="Byte-pair merges"
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (n >= 1) updateTraining({ tokenizer: `bpe:${n}` });
            }}
          />
        )}
        <span className="vocab-size" data-testid="vocab-size" title="Vocabulary size V">
          V = {dataError ? '—' : isCurrent ? preview.vocabSize.toLocaleString('en-US') : '…'}
        </span>
      </div>
      <input
        className="field-input"
        value={text}
        aria-label="Sample sentence"
        onChange={(e) => setSample(e.target.value)}
        data-testid="tokenizer-sample"
      />
      <div className="token-preview" data-testid="token-preview" aria-busy={!isCurrent}>
        {isCurrent && <TokenChips pieces={preview.pieces} ids={preview.ids} />}
        {isCurrent && <span className="muted small"> {preview.ids.length} tokens</span>}
      </div>
    </fieldset>
  );
}
