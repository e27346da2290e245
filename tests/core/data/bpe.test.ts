import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTokenizer, prepareDataset } from '../../../core/data/index';
import { learnMerges, FIRST_MERGE_ID, BYTE_BASE } from '../../../core/data/tokenizers/bpe-train';

const byte = (c: string): number => c.charCodeAt(0) + BYTE_BASE;
const shakespeare = readFileSync(
  fileURLToPath(new URL('../../../core/data/bundled/shakespeare.txt', import.meta.url)),
  'utf8',
);

describe('byte-pair merges', () => {
  it('merges the most frequent pair first, ties to the smaller ids, and never across chunks', () => {
    // chunks "abab", " cdcd" ×2, " abab": ab and cd both occur 4 times; ab has the smaller ids.
    const merges = learnMerges(['abab cdcd abab cdcd'], 10);
    expect(merges[0]).toEqual([byte('a'), byte('b')]);
    expect(merges[1]).toEqual([byte('c'), byte('d')]);
    expect(merges).toContainEqual([FIRST_MERGE_ID, FIRST_MERGE_ID]); // ab + ab
    expect(merges).not.toContainEqual([byte('b'), byte(' ')]); // "b c" spans two chunks
    expect(learnMerges(['abab cdcd abab cdcd'], 10)).toEqual(merges);
  });

  it('stops when no pair occurs twice: vocabSize = 3 + 256 + merges learned', () => {
    const tok = createTokenizer('bpe:100', 'abab');
    expect(tok.toJSON()).toEqual({ kind: 'bpe', version: 1, numMerges: 100, merges: [[byte('a'), byte('b')]] });
    expect(tok.vocabSize).toBe(3 + 256 + 1);
    expect(tok.encode('abab')).toEqual([FIRST_MERGE_ID, FIRST_MERGE_ID]);
  });

  it('is deterministic and fast: 500 merges on 1 MB of Shakespeare twice give the same merges', () => {
    const t0 = performance.now();
    const a = createTokenizer('bpe:500', shakespeare);
    const seconds = (performance.now() - t0) / 1000;
    const b = createTokenizer('bpe:500', shakespeare);
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.vocabSize).toBe(3 + 256 + 500);
    expect(seconds).toBeLessThan(5);
    const ids = a.encode(shakespeare.slice(0, 20000));
    expect(ids.length).toBeLessThan(20000 / 2); // merges compress
    expect(a.decode(ids)).toBe(shakespeare.slice(0, 20000));
  });

  it('is learned on the training split only', () => {
    // The last half (validation) is a word that never occurs in the first half.
    const text = 'ab ab ab ab ab ab ab ab\n'.repeat(20) + 'xyz xyz xyz xyz xyz xyz\n'.repeat(20);
    const d = prepareDataset({ name: 'split.txt', text }, { tokenizer: 'bpe:50', valFraction: 0.5 });
    const json = d.tokenizer.toJSON();
    if (json.kind !== 'bpe') throw new Error('expected bpe');
    const valOnly = new Set([byte('x'), byte('y'), byte('z')]);
    expect(json.merges.length).toBeGreaterThan(0);
    for (const [l, r] of json.merges) expect(valOnly.has(l) || valOnly.has(r)).toBe(false);
    expect(json).toEqual(createTokenizer('bpe:50', text.slice(0, Math.floor(text.length * 0.5))).toJSON());
  });
});
