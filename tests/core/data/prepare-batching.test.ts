import { describe, expect, it } from 'vitest';
import {
  createTokenizer,
  encodeForInference,
  evalBatches,
  mulberry32,
  prepareDataset,
  sampleBatch,
  type DataSplit,
} from '../../../core/data/index';

const rows = (n: number): string =>
  'text\tlabel\n' +
  Array.from(
    { length: n },
    (_, i) => `review number ${i} was ${i % 3 === 0 ? 'bad' : 'good'}\t${i % 3 === 0 ? 'neg' : 'pos'}`,
  ).join('\n');

describe('split', () => {
  it('next-token: the last 10% of the text is validation; the tokenizer never saw it', () => {
    const text = 'abcdefghij'.repeat(9) + 'XYZXYZXYZX';
    const d = prepareDataset({ name: 'c.txt', text }, { tokenizer: 'char' });
    expect(d.task).toBe('next-token');
    expect(d.train.kind === 'stream' && d.train.ids.length).toBe(90);
    expect(d.tokenizer.decode(Array.from(d.val.kind === 'stream' ? d.val.ids : []))).toBe('\uFFFD'.repeat(10));
    expect(d.binding).toEqual({ vocabSize: 4 + 10, numClasses: 0 });
  });

  it('a text too short to train on is a sentence', () => {
    expect(() => prepareDataset({ name: 'one.txt', text: 'a' }, { tokenizer: 'char' })).toThrow(
      'one.txt is too short to train on: its training part has 0 tokens.',
    );
  });

  it('rows: a seeded shuffle, the same for the same seed, different for another', () => {
    const text = rows(50);
    const a = prepareDataset({ name: 'r.tsv', text }, { tokenizer: 'char', seed: 3 });
    const b = prepareDataset({ name: 'r.tsv', text }, { tokenizer: 'char', seed: 3 });
    const c = prepareDataset({ name: 'r.tsv', text }, { tokenizer: 'char', seed: 4 });
    const valTexts = (d: typeof a): string[] =>
      d.val.kind === 'classify' ? d.val.rows.map((r) => d.tokenizer.decode(Array.from(r))) : [];
    expect(valTexts(a)).toHaveLength(5);
    expect(valTexts(a)).toEqual(valTexts(b));
    expect(valTexts(a)).not.toEqual(valTexts(c));
    expect(a.stats).toMatchObject({ trainExamples: 45, valExamples: 5 });
    expect(a.labels).toEqual(['neg', 'pos']);
    expect(a.binding.numClasses).toBe(2);
    // every row is in exactly one split
    const all = [
      ...valTexts(a),
      ...(a.train.kind === 'classify' ? a.train.rows.map((r) => a.tokenizer.decode(Array.from(r))) : []),
    ];
    expect(new Set(all).size).toBe(50);
  });
});

describe('batches', () => {
  const stream: DataSplit = { kind: 'stream', ids: Int32Array.from({ length: 100 }, (_, i) => i + 1) };

  it('next-token: (B, T) windows, targets shifted by one, weights 1', () => {
    const b = sampleBatch(stream, { batchSize: 4, seqLen: 8 }, mulberry32(1));
    expect([b.tokens.length, b.targets.length, b.weights.length]).toEqual([32, 32, 32]);
    for (let r = 0; r < 4; r++) {
      for (let t = 0; t < 8; t++) {
        expect(b.targets[r * 8 + t]).toBe(b.tokens[r * 8 + t] + 1);
        if (t > 0) expect(b.tokens[r * 8 + t]).toBe(b.tokens[r * 8 + t - 1] + 1);
      }
    }
    expect(Array.from(b.weights).every((w) => w === 1)).toBe(true);
  });

  it('the rng makes batches reproducible', () => {
    const x = sampleBatch(stream, { batchSize: 4, seqLen: 8 }, mulberry32(9));
    const y = sampleBatch(stream, { batchSize: 4, seqLen: 8 }, mulberry32(9));
    expect(x).toEqual(y);
  });

  it('a stream shorter than T+1 is padded, with weight 0 on padded targets', () => {
    const short: DataSplit = { kind: 'stream', ids: Int32Array.of(5, 6, 7) };
    const b = sampleBatch(short, { batchSize: 1, seqLen: 5 }, mulberry32(1));
    expect(Array.from(b.tokens)).toEqual([5, 6, 7, 0, 0]);
    expect(Array.from(b.targets)).toEqual([6, 7, 0, 0, 0]);
    expect(Array.from(b.weights)).toEqual([1, 1, 0, 0, 0]);
  });

  it('prompt-completion: weights only where the target is a completion token', () => {
    const d = prepareDataset(
      { name: 'qa.tsv', text: 'prompt\tcompletion\nab\tcd\nab\tcd\n' },
      { tokenizer: 'char', valFraction: 0 },
    );
    const tok = d.tokenizer;
    expect(d).toMatchObject({ task: 'next-token', promptCompletion: true });
    const b = sampleBatch(d.train, { batchSize: 1, seqLen: 8 }, mulberry32(1));
    // row: a b <sep> c d <eos>
    expect(tok.pieces(Array.from(b.tokens))).toEqual([
      'a',
      'b',
      '<|sep|>',
      'c',
      'd',
      '<|endoftext|>',
      '<pad>',
      '<pad>',
    ]);
    expect(tok.pieces(Array.from(b.targets.subarray(0, 5)))).toEqual(['b', '<|sep|>', 'c', 'd', '<|endoftext|>']);
    expect(Array.from(b.weights)).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
    // truncated to T: tokens row[0..T), targets row[1..T+1)
    const t = sampleBatch(d.train, { batchSize: 1, seqLen: 3 }, mulberry32(1));
    expect(Array.from(t.weights)).toEqual([0, 0, 1]);
  });

  it('classify: tokens truncated or right-padded with 0, one class id per row', () => {
    const split: DataSplit = {
      kind: 'classify',
      rows: [Int32Array.of(4, 5), Int32Array.of(6, 7, 8, 9, 10)],
      labels: Int32Array.of(1, 0),
    };
    const [b] = evalBatches(split, { batchSize: 2, seqLen: 4 });
    expect(Array.from(b.tokens)).toEqual([4, 5, 0, 0, 6, 7, 8, 9]);
    expect(Array.from(b.targets)).toEqual([1, 0]);
    expect(Array.from(b.weights)).toEqual([1, 1]);
  });

  it('tag: a tag per token, weight 0 on padding and on untagged sub-tokens', () => {
    const split: DataSplit = { kind: 'tag', rows: [Int32Array.of(4, 5, 6)], tags: [Int32Array.of(2, -1, 0)] };
    const b = sampleBatch(split, { batchSize: 1, seqLen: 5 }, mulberry32(1));
    expect(Array.from(b.tokens)).toEqual([4, 5, 6, 0, 0]);
    expect(Array.from(b.targets)).toEqual([2, 0, 0, 0, 0]);
    expect(Array.from(b.weights)).toEqual([1, 0, 1, 0, 0]);
  });

  it('evalBatches: the same every call, all full-size, the tail filled with weight-0 rows', () => {
    const e1 = evalBatches(stream, { batchSize: 3, seqLen: 10 });
    const e2 = evalBatches(stream, { batchSize: 3, seqLen: 10 });
    expect(e1).toEqual(e2);
    expect(e1).toHaveLength(4); // 10 windows of 10 → 3 + 3 + 3 + 1
    const last = e1[3];
    expect(last.tokens.length).toBe(30);
    expect(Array.from(last.tokens.subarray(0, 10))).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    expect(Array.from(last.weights.subarray(0, 10))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]); // nothing after 100
    expect(Array.from(last.weights.subarray(10)).every((w) => w === 0)).toBe(true);
    const weighted = e1.reduce((n, b) => n + b.weights.reduce((s, w) => s + w, 0), 0);
    expect(weighted).toBe(99); // every next-token pair of the stream exactly once
    expect(evalBatches(stream, { batchSize: 3, seqLen: 10, maxBatches: 2 })).toHaveLength(2);
  });
});

describe('encodeForInference', () => {
  it('next-token keeps the tail; classify keeps the head; both padded to T', () => {
    const tok = createTokenizer('char', 'abcdef');
    const tail = encodeForInference(tok, 'abcdef', 4);
    expect(tail.pieces).toEqual(['c', 'd', 'e', 'f']);
    const d = prepareDataset({ name: 'r.tsv', text: rows(20) }, { tokenizer: 'word' });
    const head = encodeForInference(d, 'review number good', 4);
    expect(head.pieces).toEqual(['review', 'number', 'good']);
    expect(Array.from(head.tokens).slice(3)).toEqual([0]);
    expect(head.length).toBe(3);
  });

  it('prompt-completion ends with <|sep|>; tagging marks the token of each word', () => {
    const pc = prepareDataset(
      { name: 'qa.tsv', text: 'prompt\tcompletion\nab\tcd\nba\tdc\n' },
      { tokenizer: 'char', valFraction: 0 },
    );
    expect(encodeForInference(pc, 'ab', 8).pieces).toEqual(['a', 'b', '<|sep|>']);
    const tag = prepareDataset(
      {
        name: 't.jsonl',
        text: '{"tokens":["The","cat"],"tags":["DET","NOUN"]}\n{"tokens":["A","dog"],"tags":["DET","NOUN"]}\n',
      },
      { tokenizer: 'word', valFraction: 0 },
    );
    const inf = encodeForInference(tag, 'The dog.', 8);
    expect(inf.words).toEqual(['The', 'dog', '.']);
    expect(inf.pieces).toEqual(['the', 'dog', '<unk>']);
    expect(inf.wordIndex).toEqual([0, 1, 2]);
  });
});
