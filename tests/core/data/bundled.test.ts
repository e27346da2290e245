import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
  BUNDLED_DATASETS,
  bundledSource,
  DATA_CREDITS,
  DataError,
  evalBatches,
  mulberry32,
  prepareDataset,
  sampleBatch,
} from '../../../core/data/index';
import { bundledPath, loadBundledText, loadDataset } from '../../../core/host-node/datasets';

// name → [V, C, train examples, val examples] with each set's default tokenizer (seed 1, 10% validation).
const EXPECTED: Record<string, { task: string; promptCompletion: boolean; C: number; train: number; val: number }> = {
  shakespeare: { task: 'next-token', promptCompletion: false, C: 0, train: 1003854, val: 111540 },
  sentiment: { task: 'classify', promptCompletion: false, C: 2, train: 2700, val: 300 },
  'sentiment-text': { task: 'next-token', promptCompletion: false, C: 0, train: 39504, val: 4481 },
  pos: { task: 'tag', promptCompletion: false, C: 17, train: 3670, val: 408 },
  'translation-en-fr': { task: 'next-token', promptCompletion: true, C: 0, train: 18000, val: 2000 },
  instructions: { task: 'next-token', promptCompletion: true, C: 0, train: 2259, val: 251 },
};

describe('bundled datasets', () => {
  it('every manifest entry has its file and a credit (a second view of a file shares its credit)', () => {
    const fileOf = (name: string): string | undefined => BUNDLED_DATASETS.find((d) => d.name === name)?.file;
    for (const set of BUNDLED_DATASETS) {
      expect(existsSync(bundledPath(set))).toBe(true);
      expect(DATA_CREDITS.find((c) => fileOf(c.name) === set.file)?.attribution).toBeTruthy();
    }
    expect(BUNDLED_DATASETS.map((d) => d.name)).toEqual(Object.keys(EXPECTED));
  });

  for (const set of BUNDLED_DATASETS) {
    it(`${set.name} prepares with ${set.defaultTokenizer}, and batches have the right shapes`, () => {
      const t0 = performance.now();
      const d = loadDataset(set.name, { tokenizer: set.defaultTokenizer });
      const ms = performance.now() - t0;
      const want = EXPECTED[set.name];
      expect(d).toMatchObject({ name: set.name, task: want.task, promptCompletion: want.promptCompletion });
      expect(d.binding.numClasses).toBe(want.C);
      expect(d.labels).toHaveLength(want.C);
      expect(d.stats.trainExamples).toBe(want.train);
      expect(d.stats.valExamples).toBe(want.val);
      expect(d.binding.vocabSize).toBe(d.tokenizer.vocabSize);
      console.log(
        `${set.name} (${set.defaultTokenizer}): V=${d.binding.vocabSize} C=${d.binding.numClasses} ${d.stats.trainTokens} train tokens, ${Math.round(ms)} ms`,
      );

      const B = 8;
      const T = 32;
      const b = sampleBatch(d.train, { batchSize: B, seqLen: T }, mulberry32(1));
      expect(b.tokens.length).toBe(B * T);
      expect(b.targets.length).toBe(d.task === 'classify' ? B : B * T);
      expect(b.weights.length).toBe(b.targets.length);
      expect(Math.max(...b.tokens)).toBeLessThan(d.binding.vocabSize);
      const maxTarget = d.task === 'next-token' ? d.binding.vocabSize : d.binding.numClasses;
      expect(Math.max(...b.targets)).toBeLessThan(maxTarget);
      const ev = evalBatches(d.val, { batchSize: B, seqLen: T, maxBatches: 3 });
      expect(ev).toHaveLength(3);
      expect(evalBatches(d.val, { batchSize: B, seqLen: T, maxBatches: 3 })).toEqual(ev);
    });
  }

  it('the pure path (bundledSource, as the browser will use) gives the same data as the Node loader', () => {
    const set = BUNDLED_DATASETS[1];
    const viaNode = loadDataset(set.name, { tokenizer: 'word' });
    const pure = prepareDataset(bundledSource(set, readFileSync(bundledPath(set), 'utf8')), { tokenizer: 'word' });
    expect(pure.name).toBe('sentiment');
    expect(pure.train).toEqual(viaNode.train);
    expect(pure.val).toEqual(viaNode.val);
  });

  it('sentiment-text is the text column of sentiment.tsv, one review per line, without the labels', () => {
    const d = loadDataset('sentiment-text', { tokenizer: 'word:3000', valFraction: 0 });
    const text = d.tokenizer.decode([...(d.train.kind === 'stream' ? d.train.ids : [])]);
    expect(text.split('\n').filter((l) => l.trim())).toHaveLength(3000);
    expect(text).not.toMatch(/\b(positive|negative)\s*\n/);
    expect(text.startsWith('so there is no way for me to plug it in here in the us')).toBe(true);
  });

  it('an unknown bundled name lists the real ones', () => {
    expect(() => loadBundledText('imdb')).toThrow(DataError);
    expect(() => loadBundledText('imdb')).toThrow(
      'There is no bundled dataset "imdb"; the bundled sets are shakespeare, sentiment, sentiment-text, pos, translation-en-fr, instructions.',
    );
  });
});
