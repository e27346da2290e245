/**
 * Issue 12, class 3: a 190 MB text used to fail after 94 s with "Invalid array length", because its
 * ids were kept in one plain JS array. Now they are encoded a chunk at a time into an Int32Array.
 * (The 190 MB run itself is a manual measurement, in the report.)
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeToInt32, ENCODE_CHUNK } from '../../../core/data/encode-stream';
import { prepareParsed } from '../../../core/data/prepare';
import { CharTokenizer } from '../../../core/data/tokenizers/char';
import { createTokenizer } from '../../../core/data/tokenizers/index';
import { FUZZ_SEED, runs } from '../fuzz/settings';

afterEach(() => vi.restoreAllMocks());

const piece = fc.oneof(
  fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', ' \n', '\u3000', '<|endoftext|>', '<|sep|>', "'s", "n't", '...', '!!'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('hello', 'ΟΔΟΣ', '日本語', '😀👍', 'e\u0301', '42', '3.14'),
);
const text = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));

describe('encodeToInt32', () => {
  it.each(['char', 'word', 'bpe:40', 'gpt2'])('%s: chunked ids are exactly the ids of the whole text', (spec) => {
    const tok = createTokenizer(spec, 'hello world, hello there. ΟΔΟΣ 日本語 😀 the end\n');
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 9 }), (t, chunk) => {
        expect(Array.from(encodeToInt32(tok, t, chunk))).toEqual(tok.encode(t));
      }),
      { seed: FUZZ_SEED, numRuns: runs(150, `encode chunks: ${spec}`) },
    );
  });

  it('a next-token text is encoded a chunk at a time, never as one array of all its ids', () => {
    const spy = vi.spyOn(CharTokenizer.prototype, 'encode');
    const line = 'the quick brown fox jumps over the lazy dog\n';
    const corpus = line.repeat(Math.ceil((3 * ENCODE_CHUNK) / line.length));
    const d = prepareParsed({ task: 'next-token', file: 'big.txt', text: corpus }, { tokenizer: 'char' });
    expect(d.train.kind === 'stream' && d.train.ids).toBeInstanceOf(Int32Array);
    expect(d.stats.trainTokens + d.stats.valTokens).toBe(corpus.length);
    const longest = Math.max(...spy.mock.calls.map(([t]) => t.length));
    expect(longest).toBeLessThanOrEqual(ENCODE_CHUNK + line.length);
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3);
  });
});
