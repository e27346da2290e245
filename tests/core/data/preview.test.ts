import { describe, expect, it } from 'vitest';
import { DOMINANT_SHARE, PREVIEW_CHARS, previewData, sampleSentence } from '../../../core/data/preview';

const tsv = (rows: [string, string][]): string => ['text\tlabel', ...rows.map(([t, l]) => `${t}\t${l}`)].join('\n');

describe('previewData', () => {
  it('reads a classification TSV: task, rows, labels with counts (most first), first rows, a sample sentence', () => {
    const p = previewData(
      'reviews.tsv',
      tsv([
        ['the soup was cold', 'neg'],
        ['lovely staff and quick service', 'pos'],
        ['great value', 'pos'],
        ['noisy room', 'neg'],
        ['we will come back', 'pos'],
      ]),
    );
    expect(p.error).toBeUndefined();
    expect(p.task).toBe('classify');
    expect(p.rows).toBe(5);
    expect(p.labels).toEqual([
      { label: 'pos', count: 3 },
      { label: 'neg', count: 2 },
    ]);
    expect(p.sample[0]).toBe('the soup was cold → neg');
    expect(sampleSentence(p)).toBe('the soup was cold');
    expect(p.warnings).toEqual([]); // 60% is not dominating
  });

  it('warns when one class dominates, naming it and its share', () => {
    const rows: [string, string][] = [...Array.from({ length: 9 }, (_, i): [string, string] => [`fine ${i}`, 'ok']), ['awful', 'bad']];
    const p = previewData('skewed.tsv', tsv(rows));
    expect(0.9).toBeGreaterThan(DOMINANT_SHARE);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^“ok” is 90% of the rows/);
  });

  it('warns when a corpus is too short for the window (its validation part holds less than one window)', () => {
    const short = previewData('poem.txt', 'Shall I compare thee to a summer’s day?\n'.repeat(10), { seqLen: 64, tokenizer: 'char' });
    expect(short.task).toBe('next-token');
    expect(short.warnings).toHaveLength(1);
    expect(short.warnings[0]).toContain('too short for a window of 64');
    expect(short.warnings[0]).toContain('at least 650 characters');
    const long = previewData('poem.txt', 'Shall I compare thee to a summer’s day?\n'.repeat(20), { seqLen: 64, tokenizer: 'char' });
    expect(long.warnings).toEqual([]);
    // Word tokens: the same text is far fewer tokens.
    const words = previewData('poem.txt', 'Shall I compare thee to a summer’s day?\n'.repeat(20), { seqLen: 64, tokenizer: 'word' });
    expect(words.warnings[0]).toContain('words');
  });

  it('gives a binary paste an error (no task), which is what disables Train', () => {
    const p = previewData('pasted text', 'abc\u0000\u0001def');
    expect(p.task).toBeUndefined();
    expect(p.error).toBe('pasted text is a binary file, not text (it contains NUL bytes).');
  });

  it('reads a tagging file and counts tags per token', () => {
    const jsonl = [
      JSON.stringify({ tokens: ['The', 'cat'], tags: ['DET', 'NOUN'] }),
      JSON.stringify({ tokens: ['A', 'dog', 'runs'], tags: ['DET', 'NOUN', 'VERB'] }),
    ].join('\n');
    const p = previewData('pos.jsonl', jsonl);
    expect(p.task).toBe('tag');
    expect(p.labels).toEqual([
      { label: 'DET', count: 2 },
      { label: 'NOUN', count: 2 },
      { label: 'VERB', count: 1 },
    ]);
    expect(sampleSentence(p)).toBe('The cat');
  });

  it('reads only the head of a huge text, and says so', () => {
    const big = 'a line of text\n'.repeat(Math.ceil((PREVIEW_CHARS * 1.5) / 15));
    const p = previewData('big.txt', big);
    expect(p.partial).toBe(true);
    expect(p.characters).toBe(big.length);
    expect(p.rows).toBeLessThan(big.length / 15);
  });
});
